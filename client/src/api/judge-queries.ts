import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import { projectKeys } from './queries.ts';
import type { CreateJudgeInput } from '../../../shared/judges.ts';

export const judgeKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'judges'] as const,
  failures: (projectId: number, judgeId: number) => [...judgeKeys.all(projectId), judgeId, 'failures'] as const,
};

const param = (id: number) => ({ id: String(id) });

export const judgesOptions = (projectId: number) =>
  queryOptions({ queryKey: judgeKeys.all(projectId), queryFn: async () => (await unwrap(api.projects[':id'].judges.$get({ param: param(projectId) }))).judges });

export const judgeFailuresOptions = (projectId: number, judgeId: number) =>
  queryOptions({
    queryKey: judgeKeys.failures(projectId, judgeId),
    queryFn: async () => (await unwrap(api.projects[':id'].judges[':judgeId'].failures.$get({ param: { id: String(projectId), judgeId: String(judgeId) } }))).failures,
  });

export const jobOptions = (jobId: number) =>
  queryOptions({ queryKey: ['generation-jobs', jobId] as const, queryFn: async () => (await unwrap(api['generation-jobs'][':id'].$get({ param: param(jobId) }))).job });

export const createJudge = (projectId: number, input: CreateJudgeInput) => unwrap(api.projects[':id'].judges.$post({ param: param(projectId), json: input }));
export const startJudgeRun = (projectId: number, judgeId: number) =>
  unwrap(api.projects[':id'].judges[':judgeId'].runs.$post({ param: { id: String(projectId), judgeId: String(judgeId) }, json: {} }));
