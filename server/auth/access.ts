import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../http/env.ts';
import { apiError } from '../http/errors.ts';
import { hashToken } from './tokens.ts';
import { bodyLimitFor, policyFor, type AccessLevel } from './access-policy.ts';
import { limitBodyStream } from '../http/body-stream.ts';
import { readIncoming, setBodyText } from '../http/buffered-body.ts';
import { parseId } from '../../shared/ids.ts';
import type { AssignmentAccess, ProjectAccess } from '../store/projects.ts';

export const sessionCookie = 'podium_session';

// A script polling with a token would otherwise write an audit row per request.
const tokenUseAuditIdleMs = 60 * 60 * 1000;
// Bodies above this are counted as they stream instead of being buffered by Hono's bodyLimit.
const streamingBodyThreshold = 8 * 1024 * 1024;

type Denial = Response;

/**
 * The endpoint the router chose for this request: the first matched API route that is not middleware. The single
 * page's catch-all `GET *` also matches an unknown `/api/…` path; that one is the 404 handler's, not a route.
 */
function endpointPath(c: Context<AppEnv>): string | null {
  return matchedRoutes(c).find((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))?.path ?? null;
}

const patternCache = new Map<string, { regex: RegExp; names: string[] }>();

/** Reads `:name` params of the endpoint's pattern from the path, so the table-wide check sees them before any route does. */
function endpointParam(c: Context<AppEnv>, name: string): string | undefined {
  const direct = c.req.param(name);
  if (direct !== undefined) return direct;
  const pattern = endpointPath(c);
  if (!pattern) return undefined;
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        const m = /^:([A-Za-z0-9_]+)(?:\{(.+)\})?(\?)?$/.exec(part);
        if (!m) return part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1] ?? '');
        return `(${m[2] ?? '[^/]+'})`;
      })
      .join('/');
    compiled = { regex: new RegExp(`^${source}$`), names };
    patternCache.set(pattern, compiled);
  }
  const match = compiled.regex.exec(c.req.path);
  const index = compiled.names.indexOf(name);
  const value = index >= 0 ? match?.[index + 1] : undefined;
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    // A broken escape (`/api/projects/%/results`) names nothing: the caller answers 404, not the error handler 500.
    return undefined;
  }
}

/** The API token of an `Authorization: Bearer` header, or null: the caller then authenticates by session cookie. */
const bearerToken = (c: Context<AppEnv>): string | null => {
  const header = c.req.header('authorization');
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
};

/** Sets `c.var.user` from a Bearer API token or the session cookie; false when neither names a live, enabled account. */
export async function authenticate(c: Context<AppEnv>): Promise<boolean> {
  if (c.get('user')) return true;
  const store = c.get('store');
  const bearer = bearerToken(c);
  if (bearer !== null) {
    const use = await store.sessions.apiTokenUse(hashToken(bearer));
    if (!use) return false;
    if (use.idleMs > tokenUseAuditIdleMs) await store.audit.record(use.user.id, 'token.use', String(use.tokenId), { method: c.req.method, path: c.req.path });
    c.set('user', use.user);
    c.set('credential', { kind: 'token', tokenId: use.tokenId });
    return true;
  }
  const cookie = getCookie(c, sessionCookie);
  if (!cookie) return false;
  const tokenHash = hashToken(cookie);
  const user = await store.sessions.userFor(tokenHash);
  if (!user) return false;
  c.set('user', user);
  c.set('credential', { kind: 'session', tokenHash });
  return true;
}

/** Admins pass; a lead of the project (member as lead and a lead account) passes; labelers get 403; outsiders 404. */
function projectCheck(c: Context<AppEnv>, found: ProjectAccess | null, lead: boolean, what: string): Denial | null {
  const user = c.get('user');
  const notFound = () => apiError(c, 404, 'not_found', `${what} does not exist`);
  if (!found) return notFound();
  if (user.role !== 'admin') {
    // Someone outside the project learns nothing, not even that it exists.
    if (!found.role) return notFound();
    if (lead && !(found.role === 'lead' && user.role === 'lead')) return apiError(c, 403, 'forbidden', 'only a lead of this project may do this');
  }
  c.set('project', found.project);
  return null;
}

/** The project and the caller's role in it, in one query. */
const projectAccess = (c: Context<AppEnv>, projectId: number | null): Promise<ProjectAccess | null> =>
  projectId === null ? Promise.resolve(null) : c.get('store').projects.withRole(projectId, c.get('user').id);

const unauthenticated = (c: Context<AppEnv>): Denial => {
  return apiError(c, 401, 'unauthenticated', bearerToken(c) !== null ? 'the API token is unknown or revoked' : 'log in first');
};

/**
 * Authenticates the caller and reads assignment `id`'s access for them. A session cookie (submit's hot path) costs
 * one statement for both; a token or an already known user costs two. Sessions are read per request, never cached:
 * another process may end them or disable their user.
 */
async function callerWithAssignment(c: Context<AppEnv>, id: number | null): Promise<AssignmentAccess | null | 'unauthenticated'> {
  const store = c.get('store');
  const cookie = id !== null && !c.get('user') && bearerToken(c) === null ? getCookie(c, sessionCookie) : undefined;
  if (id !== null && cookie) {
    const tokenHash = hashToken(cookie);
    const found = await store.projects.sessionWithRoleByAssignment(tokenHash, id);
    if (!found) return 'unauthenticated';
    c.set('user', found.user);
    c.set('credential', { kind: 'session', tokenHash });
    return found.access;
  }
  if (!(await authenticate(c))) return 'unauthenticated';
  return id === null ? null : store.projects.withRoleByAssignment(id, c.get('user').id);
}

async function assignmentOwnerCheck(c: Context<AppEnv>): Promise<Denial | null> {
  const raw = endpointParam(c, 'id');
  const found = await callerWithAssignment(c, parseId(raw));
  if (found === 'unauthenticated') return unauthenticated(c);
  const user = c.get('user');
  const missing = () => apiError(c, 404, 'not_found', `assignment ${raw ?? ''} does not exist`);
  if (!found) return missing();
  // Outsiders learn nothing; a labeler removed from the project loses their open tasks with it.
  if (projectCheck(c, found, false, `assignment ${raw ?? ''}`)) return missing();
  if (user.role !== 'admin' && found.assignedTo !== user.id) return apiError(c, 403, 'forbidden', 'this task was given to someone else');
  return null;
}

async function check(c: Context<AppEnv>, level: AccessLevel): Promise<Denial | null> {
  if (level === 'public') return null;
  if (level === 'assignment-owner') return assignmentOwnerCheck(c);
  if (!(await authenticate(c))) return unauthenticated(c);
  const user = c.get('user');
  switch (level) {
    case 'user':
      return null;
    case 'staff':
      return user.role === 'admin' || user.role === 'lead' ? null : apiError(c, 403, 'forbidden', 'only a lead or an admin may do this');
    case 'admin':
      return user.role === 'admin' ? null : apiError(c, 403, 'forbidden', 'only an admin may do this');
    case 'project-member':
    case 'project-lead': {
      const raw = endpointParam(c, 'id') ?? endpointParam(c, 'projectId');
      return projectCheck(c, await projectAccess(c, parseId(raw)), level === 'project-lead', `project ${raw ?? ''}`);
    }
    case 'job-lead': {
      const raw = endpointParam(c, 'id');
      const id = parseId(raw);
      return projectCheck(c, await projectAccess(c, id === null ? null : await c.get('store').owners.jobProject(id)), true, `generation job ${raw ?? ''}`);
    }
  }
}

/**
 * Enforces one access level. The policy table runs it for every API route (enforceAccessPolicy); a route may
 * also name a level itself, which costs nothing when the table already granted that level.
 */
export function access(level: AccessLevel): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const granted = c.get('granted');
    if (granted?.has(level)) return next();
    const denial = await check(c, level);
    if (denial) return denial;
    c.set('granted', new Set([...(granted ?? []), level]));
    await next();
  });
}

const tooLarge = (c: Context<AppEnv>) => {
  // The unread rest of the body is still on the wire; the connection must not carry another request.
  c.header('Connection', 'close');
  return apiError(c, 413, 'too_large', 'the request body is too large for this route');
};

/**
 * The single gate in front of every API route: looks the matched route up in the access policy, refuses routes
 * that have no entry, checks the caller, then bounds the body at the route's limit.
 */
export const enforceAccessPolicy = createMiddleware<AppEnv>(async (c, next) => {
  const path = endpointPath(c);
  // Nothing matched: the 404 handler answers.
  if (path === null) return next();
  const policy = policyFor(c.req.method, path);
  if (!policy) {
    console.error(`no access policy for ${c.req.method} ${path}: add it to server/auth/access-policy.ts`);
    return apiError(c, 403, 'no_access_policy', `${c.req.method} ${path} has no access policy yet, so nobody may call it`);
  }
  const denial = await check(c, policy.access);
  if (denial) return denial;
  c.set('granted', new Set([policy.access]));
  const limit = bodyLimitFor(c.req.method, policy);
  if (limit > streamingBodyThreshold) {
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > limit) return tooLarge(c);
    if (c.req.raw.body) limitBodyStream(c, limit);
    return next();
  }
  const incoming = c.env?.incoming;
  if (!incoming) return bodyLimit({ maxSize: limit, onError: tooLarge })(c, next);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const body = await readIncoming(incoming, limit);
    if (body === 'too-large') return tooLarge(c);
    // Nobody reads this answer; it only keeps the route from running on half a body.
    if (body === 'aborted') return apiError(c, 400, 'aborted', 'the request body did not arrive');
    setBodyText(c, body);
  }
  return next();
});
