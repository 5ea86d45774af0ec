import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import { projectKeys } from './queries.ts';

export const memberKeys = {
  candidates: (projectId: number) => [...projectKeys.detail(projectId), 'member-candidates'] as const,
};

/** Who the caller may add: every enabled account for an admin, labelers for a lead (the server decides). */
export const memberCandidatesOptions = (projectId: number) =>
  queryOptions({
    queryKey: memberKeys.candidates(projectId),
    queryFn: async () => (await unwrap(api.projects[':id']['member-candidates'].$get({ param: { id: String(projectId) } }))).candidates,
  });

export const removeProjectMember = (projectId: number, userId: number) =>
  unwrap(api.projects[':id'].members[':userId'].$delete({ param: { id: String(projectId), userId: String(userId) } }));
