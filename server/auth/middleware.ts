import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/env.ts';
import { hashToken } from './tokens.ts';
import { apiError } from '../http/errors.ts';

export const sessionCookie = 'podium_session';

/** Resolves the caller from the session cookie or a Bearer API token; everything behind it has `c.var.user`. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const store = c.var.store;
  const header = c.req.header('authorization');
  if (header?.startsWith('Bearer ')) {
    const user = store.sessions.userForApiToken(hashToken(header.slice(7).trim()));
    if (!user) return apiError(c, 401, 'unauthenticated', 'the API token is unknown or revoked');
    c.set('user', user);
    return next();
  }
  const cookie = getCookie(c, sessionCookie);
  const user = cookie ? store.sessions.userFor(hashToken(cookie)) : null;
  if (!user) return apiError(c, 401, 'unauthenticated', 'log in first');
  c.set('user', user);
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.user.role !== 'admin') return apiError(c, 403, 'forbidden', 'only an admin may do this');
  await next();
});

/** Loads `:id` as the project and checks the caller may see it: admins always, others as members. */
export const projectAccess = (level: 'member' | 'lead') =>
  createMiddleware<AppEnv>(async (c, next) => {
    const id = Number(c.req.param('id'));
    const project = Number.isInteger(id) && id > 0 ? c.var.store.projects.byId(id) : null;
    if (!project) return apiError(c, 404, 'not_found', `project ${c.req.param('id')} does not exist`);
    const user = c.var.user;
    if (user.role !== 'admin') {
      const role = c.var.store.projects.memberRole(project.id, user.id);
      // A labeler who is not a member learns nothing, not even that the project exists.
      if (!role) return apiError(c, 404, 'not_found', `project ${project.id} does not exist`);
      if (level === 'lead' && !(role === 'lead' && user.role === 'lead')) return apiError(c, 403, 'forbidden', 'only a lead of this project may do this');
    }
    c.set('project', project);
    await next();
  });
