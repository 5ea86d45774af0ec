import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { acceptInviteSchema, createInviteSchema, createProjectInviteSchema } from '../../shared/accounts.ts';
import type { Role } from '../../shared/users.ts';
import { hashPassword } from '../auth/password.ts';
import { refuseWeakPassword } from '../auth/password-policy.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { startSession } from '../auth/session-cookie.ts';

const tokenParam = z.object({ token: z.string().min(10).max(200) });
const hour = 3600 * 1000;

async function issueInvite(c: Context<AppEnv>, role: Role, projectId: number | null, hours: number) {
  const { store, user } = c.var;
  const token = newToken('pi');
  const invite = await store.accounts.createInvite(hashToken(token), role, projectId, user.id, hours * hour);
  await store.audit.record(user.id, 'invite.create', String(invite.id), { role, projectId });
  // The link is shown once; the database keeps only its hash.
  return { invite, token, path: `/invite/${token}` };
}

function inviteGone(c: Context<AppEnv>, reason: 'unknown' | 'expired' | 'used') {
  if (reason === 'expired') return apiError(c, 410, 'invite_expired', 'this invite link has expired; ask for a new one');
  if (reason === 'used') return apiError(c, 410, 'invite_used', 'this invite link has already been used; log in instead');
  return apiError(c, 404, 'invite_unknown', 'this invite link is not valid');
}

/** One-time invite links: admins invite anyone, leads invite labelers into their project. Access: server/auth/access-policy.ts. */
export const inviteRoutes = new Hono<AppEnv>()
  .get('/invites', async (c) => c.json({ invites: await c.var.store.accounts.pendingInvites() }, 200))
  .post('/invites', validate('json', createInviteSchema), async (c) => {
    const { role, projectId, expiresInHours } = c.req.valid('json');
    if (projectId !== undefined && !await c.var.store.projects.byId(projectId)) return apiError(c, 400, 'unknown_project', `project ${projectId} does not exist`);
    return c.json(await issueInvite(c, role, projectId ?? null, expiresInHours), 201);
  })
  .post('/projects/:id/invites', validate('json', createProjectInviteSchema), async (c) =>
    c.json(await issueInvite(c, 'labeler', c.var.project.id, c.req.valid('json').expiresInHours), 201),
  )
  .get('/invites/:token', validate('param', tokenParam), async (c) => {
    const found = await c.var.store.accounts.lookupInvite(hashToken(c.req.valid('param').token));
    if (!found.ok) return inviteGone(c, found.reason);
    return c.json({ invite: found.invite }, 200);
  })
  .post('/invites/:token/accept', validate('param', tokenParam), validate('json', acceptInviteSchema), async (c) => {
    const store = c.var.store;
    const { username, password } = c.req.valid('json');
    const weak = refuseWeakPassword(c, 'password', password, username);
    if (weak) return weak;
    const outcome = await store.accounts.acceptInvite(hashToken(c.req.valid('param').token), username, await hashPassword(password));
    if (!outcome.ok) {
      if (outcome.reason === 'username_taken') return apiError(c, 409, 'username_taken', `the username "${username}" is taken`);
      return inviteGone(c, outcome.reason);
    }
    const user = await store.users.byId(outcome.userId);
    if (!user) return apiError(c, 500, 'internal', 'the new account vanished');
    await store.audit.record(user.id, 'invite.accept', username, { role: user.role });
    await startSession(c, user.id);
    return c.json({ user }, 201);
  });
