import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap, type SuccessBody } from './client.ts';
import { projectKeys } from './queries.ts';
import type { ExclusionInput, ReviewSort } from '../../../shared/review.ts';
import { criterionQuery } from '../components/criterion-choice.ts';

/** Resamples for the dashboard's 95% intervals: enough for two decimals, quick on a large project. */
export const dashboardBootstrap = 200;

export const agreementKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'agreement'] as const,
  report: (projectId: number, bootstrap: number, criterion: string | undefined) => [...agreementKeys.all(projectId), { bootstrap, criterion }] as const,
  sideBySide: (projectId: number) => [...agreementKeys.all(projectId), 'criteria'] as const,
};
export const reviewKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'review'] as const,
  list: (projectId: number, sort: ReviewSort, offset: number, limit: number, criterion: string | undefined) =>
    [...reviewKeys.all(projectId), 'list', { sort, offset, limit, criterion }] as const,
  prompt: (projectId: number, promptId: number, criterion: string | undefined) => [...reviewKeys.all(projectId), 'prompt', promptId, { criterion }] as const,
};

const fetchAgreement = (projectId: number, bootstrap: number, criterion: string | undefined) =>
  unwrap(api.projects[':id'].agreement.$get({ param: { id: String(projectId) }, query: { bootstrap: String(bootstrap), ...criterionQuery(criterion) } }));
/** One criterion's full report (a key, or "combined"). */
export type AgreementData = Awaited<ReturnType<typeof fetchAgreement>>;

const fetchCriteriaAgreement = (projectId: number) => unwrap(api.projects[':id'].agreement.criteria.$get({ param: { id: String(projectId) } }));
/** Every criterion's headline figures, side by side. */
export type CriteriaAgreementData = Awaited<ReturnType<typeof fetchCriteriaAgreement>>;

export const agreementOptions = (projectId: number, bootstrap = dashboardBootstrap, criterion?: string) =>
  queryOptions({ queryKey: agreementKeys.report(projectId, bootstrap, criterion), queryFn: () => fetchAgreement(projectId, bootstrap, criterion) });

export const criteriaAgreementOptions = (projectId: number) =>
  queryOptions({
    queryKey: agreementKeys.sideBySide(projectId),
    queryFn: () => fetchCriteriaAgreement(projectId),
  });

export const reviewListOptions = (projectId: number, sort: ReviewSort, offset: number, limit: number, criterion?: string) =>
  queryOptions({
    queryKey: reviewKeys.list(projectId, sort, offset, limit, criterion),
    queryFn: () =>
      unwrap(api.projects[':id'].review.$get({ param: { id: String(projectId) }, query: { sort, offset: String(offset), limit: String(limit), ...criterionQuery(criterion) } })),
    placeholderData: keepPreviousData,
  });

export const reviewPromptOptions = (projectId: number, promptId: number, criterion?: string) =>
  queryOptions({
    queryKey: reviewKeys.prompt(projectId, promptId, criterion),
    queryFn: async () =>
      (await unwrap(api.projects[':id'].review[':promptId'].$get({ param: { id: String(projectId), promptId: String(promptId) }, query: criterionQuery(criterion) }))).prompt,
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
