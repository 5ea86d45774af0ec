import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { skipSchema, submitQuerySchema, submitSchema } from '../../shared/tasks.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import type { Context } from 'hono';

/** The project of an assignment, if the caller may act in it; a foreign project looks like a missing assignment. */
function assignmentProject(c: Context<AppEnv>) {
  const id = Number(c.req.param('id'));
  const projectId = Number.isInteger(id) ? c.var.store.assignments.projectOf(id) : null;
  const project = projectId === null ? null : c.var.store.projects.byId(projectId);
  if (!project) return null;
  if (c.var.user.role !== 'admin' && !c.var.store.projects.memberRole(project.id, c.var.user.id)) return null;
  return { id, project };
}

export const taskRoutes = new Hono<AppEnv>()
  .use('/projects/:id/tasks/*', requireUser)
  .use('/assignments/*', requireUser)
  .post('/projects/:id/tasks/next', projectAccess('member'), (c) => {
    const assignment = c.var.store.assignments.next(c.var.project, c.var.user.id);
    return assignment ? c.json({ assignment }, 200) : c.body(null, 204);
  })
  .get('/projects/:id/tasks/counter', projectAccess('member'), (c) => c.json({ counter: c.var.store.assignments.counter(c.var.project, c.var.user.id) }, 200))
  // `?next=1` answers with the labeler's next task too, so the ranking page needs one round trip per task.
  .post('/assignments/:id/submit', validate('query', submitQuerySchema), validate('json', submitSchema), (c) => {
    const found = assignmentProject(c);
    if (!found) return apiError(c, 404, 'not_found', `assignment ${c.req.param('id')} does not exist`);
    const outcome = c.var.store.assignments.submit(found.project, found.id, c.var.user.id, c.req.valid('json'));
    if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
    const next = c.req.valid('query').next ? c.var.store.assignments.next(found.project, c.var.user.id) : undefined;
    return c.json({ ranking: { id: outcome.rankingId }, ...(next === undefined ? {} : { next }) }, outcome.status);
  })
  .post('/assignments/:id/skip', validate('json', skipSchema), (c) => {
    const found = assignmentProject(c);
    if (!found) return apiError(c, 404, 'not_found', `assignment ${c.req.param('id')} does not exist`);
    const outcome = c.var.store.assignments.skip(found.project, found.id, c.var.user.id, c.req.valid('json').reason);
    if (!outcome.ok) return apiError(c, outcome.status, outcome.code, outcome.message);
    return c.json({ ok: true }, outcome.status);
  });
