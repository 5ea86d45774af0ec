import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { AssignmentView, SubmitInput } from '../../../shared/tasks.ts';
import type { CreateProjectRequest } from '../../../shared/projects.ts';
import type { CreateUserInput } from '../../../shared/users.ts';
import { criterionQuery } from '../components/criterion-choice.ts';
import { sourcesQuery, type SourcesChoice } from '../components/source-choice.ts';

export const meKeys = { me: ['me'] as const };
export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
  detail: (id: number) => [...projectKeys.all, id] as const,
  counter: (id: number) => [...projectKeys.detail(id), 'counter'] as const,
  results: (id: number) => [...projectKeys.detail(id), 'results'] as const,
};
export const taskKeys = {
  all: ['tasks'] as const,
  next: (projectId: number) => [...taskKeys.all, 'next', projectId] as const,
};
export const userKeys = { all: ['users'] as const };

export const meOptions = () =>
  queryOptions({
    queryKey: meKeys.me,
    queryFn: async () => {
      // `/session` answers `{ user: null }` when nobody is signed in, so the login page logs no 401.
      return (await unwrap(api.session.$get())).user;
    },
    staleTime: 60_000,
  });

export const projectsOptions = () =>
  queryOptions({ queryKey: projectKeys.list(), queryFn: async () => (await unwrap(api.projects.$get())).projects });

export const projectOptions = (id: number) =>
  queryOptions({ queryKey: projectKeys.detail(id), queryFn: async () => (await unwrap(api.projects[':id'].$get({ param: { id: String(id) } }))).project });

export const counterOptions = (id: number) =>
  queryOptions({
    queryKey: projectKeys.counter(id),
    queryFn: async () => (await unwrap(api.projects[':id'].tasks.counter.$get({ param: { id: String(id) } }))).counter,
    // Counting what is left scans the project's pool (~3 ms on 10k prompts, 50x a lease), so it is not
    // refetched per task: the ranking page moves it at once, and this catches up with other labelers' work.
    staleTime: 30_000,
    refetchInterval: 30_000,
  });

export const usersOptions = () => queryOptions({ queryKey: userKeys.all, queryFn: async () => (await unwrap(api.users.$get())).users });

// --- Lead and admin pages (projects, dashboard, results, admin) ---

export const resultKeys = {
  page: (projectId: number, offset: number, limit: number, criterion: string | undefined, sources: SourcesChoice | undefined) =>
    [...projectKeys.results(projectId), { offset, limit, criterion, sources }] as const,
};

/** `criterion`: a key other than the first, or "combined"; undefined asks for the first, as before criteria. `sources`: whose rankings, default the labelers'. */
export const resultsOptions = (projectId: number, offset: number, limit: number, criterion?: string, sources?: SourcesChoice) =>
  queryOptions({
    queryKey: resultKeys.page(projectId, offset, limit, criterion, sources),
    queryFn: () =>
      unwrap(
        api.projects[':id'].results.$get({
          param: { id: String(projectId) },
          query: { offset: String(offset), limit: String(limit), ...criterionQuery(criterion), ...sourcesQuery(sources) },
        }),
      ),
  });

export async function createProject(input: CreateProjectRequest) {
  return (await unwrap(api.projects.$post({ json: input }))).project;
}

/** Sends the file as it is: the server parses and checks every line, and imports all of them or none. */
export async function importPrompts(projectId: number, jsonl: string) {
  return unwrap(api.projects[':id'].import.$post({ param: { id: String(projectId) } }, { headers: { 'content-type': 'application/x-ndjson' }, init: { body: jsonl } }));
}

export async function addProjectMember(projectId: number, userId: number) {
  return unwrap(api.projects[':id'].members.$post({ param: { id: String(projectId) }, json: { userId } }));
}

export async function createUser(input: CreateUserInput) {
  return (await unwrap(api.users.$post({ json: input }))).user;
}

// --- Labeling (the ranking page) ---

/**
 * The labeler's open task. Asking again returns the same open assignment, so the query is safe to
 * repeat; it never goes stale by itself because only this labeler's own submit or skip changes it.
 */
export const nextTaskOptions = (projectId: number) =>
  queryOptions({
    queryKey: taskKeys.next(projectId),
    queryFn: () => fetchNextTask(projectId),
    staleTime: Infinity,
    gcTime: 60_000,
  });

/** Leases the next task (or returns the open one); null when nothing is left for this labeler. */
export async function fetchNextTask(projectId: number) {
  const body = await unwrap(api.projects[':id'].tasks.next.$post({ param: { id: String(projectId) } }));
  return body?.assignment ?? null;
}

/** Stores a judgement and, in the same round trip, leases the next task (null when none is left). */
export async function submitAndFetchNext(assignmentId: number, body: SubmitInput) {
  const res = await unwrap(api.assignments[':id'].submit.$post({ param: { id: String(assignmentId) }, query: { next: '1' }, json: body }));
  // Without ?next the answer has no `next`; with it, the shared AssignmentView or null.
  return 'next' in res ? (res.next as AssignmentView | null) : null;
}

export async function skipAssignment(assignmentId: number, reason: string) {
  return unwrap(api.assignments[':id'].skip.$post({ param: { id: String(assignmentId) }, json: { reason } }));
}
