import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { ApiType } from '../../../server/app.ts';
import type { ApiError } from '../../../shared/errors.ts';

/** The one typed client; features never call fetch themselves. */
export const api = hc<ApiType>('/api', { init: { credentials: 'same-origin' } });

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: unknown[] = [],
  ) {
    super(message);
  }
}

/** The body type of the 2xx answers a route declares (null for 204). */
export type SuccessBody<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 204 ? null : S extends SuccessStatusCode ? T : never) : never;

/** Resolves to the body of a 2xx answer (null for 204) or throws the API's error with its code and issues. */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(request: Promise<R> | R): Promise<SuccessBody<R>> {
  const res = await request;
  if (res.status === 204) return null as SuccessBody<R>;
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiError | null;
    throw new ApiRequestError(res.status, body?.error.code ?? 'http_error', body?.error.message ?? `request failed (${res.status})`, body?.error.issues ?? []);
  }
  return (await res.json()) as SuccessBody<R>;
}
