import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import { projectKeys } from './queries.ts';
import type { PatchProjectInput } from '../../../shared/quality.ts';

export const qualityKeys = {
  summary: (projectId: number) => [...projectKeys.detail(projectId), 'quality'] as const,
};

/** Gold prompts, paused labelers and the extra labels adaptive overlap spent (docs/quality.md). */
export const qualityOptions = (projectId: number) =>
  queryOptions({
    queryKey: qualityKeys.summary(projectId),
    queryFn: async () => (await unwrap(api.projects[':id'].quality.$get({ param: { id: String(projectId) } }))).quality,
  });

export const updateQualitySettings = async (projectId: number, json: PatchProjectInput) =>
  (await unwrap(api.projects[':id'].$patch({ param: { id: String(projectId) }, json }))).project;

export const setPaused = (projectId: number, userId: number, paused: boolean) =>
  unwrap(api.projects[':id'].members[':userId'].pause.$post({ param: { id: String(projectId), userId: String(userId) }, json: { paused } }));

export const setGold = (projectId: number, promptId: number, ranking: number[][]) =>
  unwrap(api.projects[':id'].prompts[':promptId'].gold.$put({ param: { id: String(projectId), promptId: String(promptId) }, json: { ranking } }));

export const clearGold = (projectId: number, promptId: number) =>
  unwrap(api.projects[':id'].prompts[':promptId'].gold.$delete({ param: { id: String(projectId), promptId: String(promptId) } }));
