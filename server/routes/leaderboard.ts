import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { leaderboardReport, leaderboardSeed } from '../leaderboard/leaderboard-report.ts';
import { leaderboardQuerySchema } from '../../shared/leaderboard.ts';

export const leaderboardRoutes = new Hono<AppEnv>().get('/projects/:id/leaderboard', requireUser, projectAccess('lead'), validate('query', leaderboardQuerySchema), async (c) => {
  const { by, bootstrap, group, criterion, sources } = c.req.valid('query');
  const { project } = c.var;
  const picked = selectCriterion(project.criteria, criterion);
  if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
  const prompts = await c.var.store.leaderboardSource.prompts(project.id, group, { selection: picked.selection, criteria: project.criteria, sources });
  return c.json({ ...leaderboardReport(prompts, { by, bootstrap, seed: leaderboardSeed, sources, ...(group === undefined ? {} : { group }) }), criterion: picked.selection.key }, 200);
});
