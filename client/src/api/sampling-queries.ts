import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { GenerationJob, SamplingSettingsInput } from '../../../shared/sampling.ts';

export const samplingKeys = {
  all: (projectId: number) => ['projects', projectId, 'sampling'] as const,
  settings: (projectId: number) => [...samplingKeys.all(projectId), 'settings'] as const,
  latestJob: (projectId: number) => [...samplingKeys.all(projectId), 'latest-job'] as const,
};

const param = (id: number) => ({ id: String(id) });

export const samplingSettingsOptions = (projectId: number) =>
  queryOptions({ queryKey: samplingKeys.settings(projectId), queryFn: async () => (await unwrap(api.projects[':id'].sampling.$get({ param: param(projectId) }))).settings });

export const latestJobOptions = (projectId: number) =>
  queryOptions({
    queryKey: samplingKeys.latestJob(projectId),
    queryFn: async () => (await unwrap(api.projects[':id']['generation-jobs'].latest.$get({ param: param(projectId) }))).job,
  });

export const saveSamplingSettings = (projectId: number, settings: SamplingSettingsInput) =>
  unwrap(api.projects[':id'].sampling.$put({ param: param(projectId), json: settings }));
export const testSamplingConnection = (projectId: number) => unwrap(api.projects[':id'].sampling.test.$post({ param: param(projectId) }));
export const startGenerationJob = (projectId: number, concurrency: number) =>
  unwrap(api.projects[':id']['generation-jobs'].$post({ param: param(projectId), json: { concurrency } }));
export const cancelGenerationJob = (jobId: number) => unwrap(api['generation-jobs'][':id'].cancel.$post({ param: param(jobId) }));

/**
 * Follows a job's progress over server-sent events; EventSource reconnects by itself after a network
 * blip. Returns the function that stops listening.
 */
export function watchGenerationJob(jobId: number, onJob: (job: GenerationJob) => void, onEnd: () => void): () => void {
  // $url needs an absolute base and the client's is '/api'; $path gives the route under it
  const source = new EventSource(`/api${api['generation-jobs'][':id'].events.$path({ param: param(jobId) })}`);
  const read = (e: MessageEvent<string>) => onJob((JSON.parse(e.data) as { job: GenerationJob }).job);
  source.addEventListener('progress', read);
  source.addEventListener('end', (e) => {
    read(e);
    source.close();
    onEnd();
  });
  return () => source.close();
}
