import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';

/** The OpenAPI document: fetched only when the API docs page opens, and it changes only with the server's code. */
export const openApiOptions = () =>
  queryOptions({
    queryKey: ['openapi'] as const,
    queryFn: () => unwrap(api['openapi.json'].$get()),
    staleTime: Number.POSITIVE_INFINITY,
  });
