import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { idSchema } from '../../shared/ids.ts';
import { apiError, validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { capIssue, goldRankingSchema, patchProjectSchema, pauseSchema } from '../../shared/quality.ts';
import { memberTarget } from '../store/agreement-source.ts';

// `id` is listed so the typed client still asks for the project id (a param validator's input replaces the path's).
const promptParam = z.object({ id: z.string(), promptId: idSchema });
const memberParam = z.object({ id: z.string(), userId: idSchema });

/** The quality loop (docs/quality.md): its settings, gold prompts, pauses and what it spent. Leads and admins only. */
export const qualityRoutes = new Hono<AppEnv>()
  .patch('/projects/:id', requireUser, projectAccess('lead'), validate('json', patchProjectSchema), async (c) => {
    const { store, project, user } = c.var;
    const patch = c.req.valid('json');
    const issue = capIssue(patch.maxLabelersPerPrompt, project.labelersPerPrompt);
    if (issue) return apiError(c, 400, 'invalid_input', `maxLabelersPerPrompt: ${issue.message}`, [issue]);
    const updated = await store.projects.updateSettings(project.id, patch);
    if (!updated) return apiError(c, 404, 'not_found', `project ${project.id} does not exist`);
    await store.audit.record(user.id, 'project.settings', String(project.id), patch);
    return c.json({ project: updated }, 200);
  })
  .get('/projects/:id/quality', requireUser, projectAccess('lead'), async (c) => c.json({ quality: await c.var.store.quality.summary(c.var.project) }, 200))
  .get('/projects/:id/prompts/:promptId/gold', requireUser, projectAccess('lead'), validate('param', promptParam), async (c) => {
    const { store, project } = c.var;
    const { promptId } = c.req.valid('param');
    return c.json({ promptId, gold: await store.quality.gold(project.id, promptId) }, 200);
  })
  .put('/projects/:id/prompts/:promptId/gold', requireUser, projectAccess('lead'), validate('param', promptParam), validate('json', goldRankingSchema), async (c) => {
    const { store, project, user } = c.var;
    const { promptId } = c.req.valid('param');
    const outcome = await store.quality.setGold(project, promptId, c.req.valid('json').ranking);
    if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
    await store.audit.record(user.id, 'prompt.gold', `projects/${project.id}/prompts/${promptId}`, { gold: outcome.gold });
    return c.json({ promptId, gold: outcome.gold }, 200);
  })
  .delete('/projects/:id/prompts/:promptId/gold', requireUser, projectAccess('lead'), validate('param', promptParam), async (c) => {
    const { store, project, user } = c.var;
    const { promptId } = c.req.valid('param');
    const outcome = await store.quality.clearGold(project, promptId);
    if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
    await store.audit.record(user.id, 'prompt.gold.clear', `projects/${project.id}/prompts/${promptId}`);
    return c.json({ promptId, gold: null }, 200);
  })
  .post('/projects/:id/members/:userId/pause', requireUser, projectAccess('lead'), validate('param', memberParam), validate('json', pauseSchema), async (c) => {
    const { store, project, user } = c.var;
    const { userId } = c.req.valid('param');
    const { paused, reason } = c.req.valid('json');
    const why = paused ? reason || 'a lead of this project paused you; ask them why and when you can go on' : null;
    if (!(await store.quality.setPaused(project.id, userId, why))) return apiError(c, 404, 'not_found', `user ${userId} is not a member of this project`);
    await store.audit.record(user.id, paused ? 'member.pause' : 'member.unpause', memberTarget(project.id, userId), { by: 'lead', reason });
    return c.json({ userId, paused }, 200);
  });
