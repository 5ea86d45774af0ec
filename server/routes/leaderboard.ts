import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { leaderboardReport, leaderboardSeed } from '../leaderboard/leaderboard-report.ts';
import { leaderboardQuerySchema } from '../../shared/leaderboard.ts';

export const leaderboardRoutes = new Hono<AppEnv>().get('/projects/:id/leaderboard', requireUser, projectAccess('lead'), validate('query', leaderboardQuerySchema), async (c) => {
  const { by, bootstrap, group, criterion } = c.req.valid('query');
  const picked = selectCriterion(c.var.project.criteria, criterion);
  if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
  const prompts = await c.var.store.leaderboardSource.prompts(c.var.project.id, group, picked.selection);
  return c.json({ ...leaderboardReport(prompts, { by, bootstrap, seed: leaderboardSeed, ...(group === undefined ? {} : { group }) }), criterion: picked.selection.key }, 200);
});
