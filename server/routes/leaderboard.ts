import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { leaderboardReport, leaderboardSeed } from '../leaderboard/leaderboard-report.ts';
import { leaderboardQuerySchema } from '../../shared/leaderboard.ts';
import { judgedCriterion } from '../judges/judge-sources.ts';

export const leaderboardRoutes = new Hono<AppEnv>().get('/projects/:id/leaderboard', requireUser, projectAccess('lead'), validate('query', leaderboardQuerySchema), async (c) => {
  const { by, bootstrap, group, sources } = c.req.valid('query');
  const prompts = await c.var.store.leaderboardSource.prompts(c.var.project.id, group, { sources, criterion: judgedCriterion(c.var.project) });
  return c.json(leaderboardReport(prompts, { by, bootstrap, seed: leaderboardSeed, sources, ...(group === undefined ? {} : { group }) }), 200);
});
