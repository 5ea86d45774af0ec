import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap, type SuccessBody } from './client.ts';
import { projectKeys } from './queries.ts';
import type { ExclusionInput, ReviewSort } from '../../../shared/review.ts';

/** Resamples for the dashboard's 95% intervals: enough for two decimals, quick on a large project. */
export const dashboardBootstrap = 200;

export const agreementKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'agreement'] as const,
  report: (projectId: number, bootstrap: number) => [...agreementKeys.all(projectId), { bootstrap }] as const,
};
export const reviewKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'review'] as const,
  list: (projectId: number, sort: ReviewSort, offset: number, limit: number) => [...reviewKeys.all(projectId), 'list', { sort, offset, limit }] as const,
  prompt: (projectId: number, promptId: number) => [...reviewKeys.all(projectId), 'prompt', promptId] as const,
};

const fetchAgreement = (projectId: number, bootstrap: number) =>
  unwrap(api.projects[':id'].agreement.$get({ param: { id: String(projectId) }, query: { bootstrap: String(bootstrap) } }));
export type AgreementData = SuccessBody<Awaited<ReturnType<typeof api.projects[':id']['agreement']['$get']>>>;

export const agreementOptions = (projectId: number, bootstrap = dashboardBootstrap) =>
  queryOptions({ queryKey: agreementKeys.report(projectId, bootstrap), queryFn: () => fetchAgreement(projectId, bootstrap) });

export const reviewListOptions = (projectId: number, sort: ReviewSort, offset: number, limit: number) =>
  queryOptions({
    queryKey: reviewKeys.list(projectId, sort, offset, limit),
    queryFn: () => unwrap(api.projects[':id'].review.$get({ param: { id: String(projectId) }, query: { sort, offset: String(offset), limit: String(limit) } })),
    placeholderData: keepPreviousData,
  });

export const reviewPromptOptions = (projectId: number, promptId: number) =>
  queryOptions({
    queryKey: reviewKeys.prompt(projectId, promptId),
    queryFn: async () => (await unwrap(api.projects[':id'].review[':promptId'].$get({ param: { id: String(projectId), promptId: String(promptId) }, query: {} }))).prompt,
  });

// Each switch changes figures, results, review and export alike, so its caller invalidates the whole project.

export function sendBackForLabels(projectId: number, promptId: number) {
  return unwrap(api.projects[':id'].prompts[':promptId']['extra-labels'].$post({ param: { id: String(projectId), promptId: String(promptId) } }));
}

export function setPromptExcluded(projectId: number, promptId: number, body: ExclusionInput) {
  return unwrap(api.projects[':id'].prompts[':promptId'].exclusion.$post({ param: { id: String(projectId), promptId: String(promptId) }, json: body }));
}

export function setLabelerExcluded(projectId: number, userId: number, body: ExclusionInput) {
  return unwrap(api.projects[':id'].members[':userId'].exclusion.$post({ param: { id: String(projectId), userId: String(userId) }, json: body }));
}

export function setRankingExcluded(projectId: number, rankingId: number, body: ExclusionInput) {
  return unwrap(api.projects[':id'].rankings[':rankingId'].exclusion.$post({ param: { id: String(projectId), rankingId: String(rankingId) }, json: body }));
}
