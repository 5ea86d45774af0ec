import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { skipSchema, submitQuerySchema, submitSchema } from '../../shared/tasks.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { excludedMessage } from '../store/assignments.ts';

export const taskRoutes = new Hono<AppEnv>()
  .use('/projects/:id/tasks/*', requireUser)
  .use('/assignments/*', requireUser)
  .post('/projects/:id/tasks/next', projectAccess('member'), async (c) => {
    // c.get, not c.var: Hono builds a fresh object of every variable on each c.var read, on the labeling hot path.
    const store = c.get('store');
    const project = c.get('project');
    const user = c.get('user');
    const assignment = await store.assignments.next(project, user.id);
    if (assignment === 'excluded') return apiError(c, 403, 'excluded', excludedMessage);
    if (assignment !== null && 'paused' in assignment) return apiError(c, 403, 'paused', `you are paused on this project: ${assignment.paused}`);
    return assignment ? c.json({ assignment }, 200) : c.body(null, 204);
  })
  .get('/projects/:id/tasks/counter', projectAccess('member'), async (c) => c.json({ counter: await c.var.store.assignments.counter(c.var.project, c.var.user.id) }, 200))
  // `?next=1` answers with the labeler's next task too, so the ranking page needs one round trip per task.
  // The access check (assignment-owner) has loaded the assignment's project into c.var.project.
  .post('/assignments/:id/submit', validate('query', submitQuerySchema), validate('json', submitSchema), async (c) => {
    const store = c.get('store');
    const project = c.get('project');
    const user = c.get('user');
    const id = Number(c.req.param('id'));
    const body = c.req.valid('json');
    if (c.req.valid('query').next) {
      const { outcome, next } = await store.assignments.submitAndNext(project, id, user.id, body);
      if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
      return c.json({ ranking: { id: outcome.rankingId }, next }, outcome.status);
    }
    const outcome = await store.assignments.submit(project, id, user.id, body);
    if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
    return c.json({ ranking: { id: outcome.rankingId } }, outcome.status);
  })
  .post('/assignments/:id/skip', validate('json', skipSchema), async (c) => {
    const outcome = await c.var.store.assignments.skip(c.var.project, Number(c.req.param('id')), c.var.user.id, c.req.valid('json').reason);
    if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
    return c.json({ ok: true }, outcome.status);
  });
