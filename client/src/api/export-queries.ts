import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import { projectKeys } from './queries.ts';

export const exportKeys = {
  summary: (projectId: number, query: Record<string, string>) => [...projectKeys.detail(projectId), 'export-summary', query] as const,
};

/** Counts and the first lines for one set of export settings; the previous answer stays on screen while the next loads. */
export const exportSummaryOptions = (projectId: number, query: Record<string, string>) =>
  queryOptions({
    queryKey: exportKeys.summary(projectId, query),
    queryFn: () => unwrap(api.projects[':id'].export.summary.$get({ param: { id: String(projectId) }, query: { ...query, preview: '5' } })),
    placeholderData: keepPreviousData,
    retry: false,
  });

/** Where the browser downloads from: plain links, so the file streams to disk instead of through script memory. */
export const exportUrl = (projectId: number, queryString: string) => `/api/projects/${projectId}/export?${queryString}`;
export const manifestUrl = (projectId: number, queryString: string) => `/api/projects/${projectId}/export/manifest?${queryString}`;
/** The Hugging Face dataset card of the train and test files, without the split (it describes both). */
export const datasetCardUrl = (projectId: number, queryString: string) => {
  const query = new URLSearchParams(queryString);
  query.delete('split');
  return `/api/projects/${projectId}/export/card?${query}`;
};
