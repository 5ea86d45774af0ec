import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import { projectKeys } from './queries.ts';
import type { LeaderboardBy } from '../../../shared/leaderboard.ts';
import { criterionQuery } from '../components/criterion-choice.ts';
import { sourcesQuery, type SourcesChoice } from '../components/source-choice.ts';

/** Resamples for the page's 95% intervals: the API's default. */
export const pageBootstrap = 200;

export const leaderboardKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'leaderboard'] as const,
  board: (projectId: number, by: LeaderboardBy, bootstrap: number, criterion: string | undefined, sources: SourcesChoice | undefined) =>
    [...leaderboardKeys.all(projectId), { by, bootstrap, criterion, sources }] as const,
};

export const leaderboardOptions = (projectId: number, by: LeaderboardBy, bootstrap = pageBootstrap, criterion?: string, sources?: SourcesChoice) =>
  queryOptions({
    queryKey: leaderboardKeys.board(projectId, by, bootstrap, criterion, sources),
    queryFn: () =>
      unwrap(
        api.projects[':id'].leaderboard.$get({ param: { id: String(projectId) }, query: { by, bootstrap: String(bootstrap), ...criterionQuery(criterion), ...sourcesQuery(sources) } }),
      ),
  });
