import { Hono } from 'hono';
import { z } from 'zod';
import { idSchema } from '../../shared/ids.ts';
import type { AppEnv } from '../http/env.ts';
import { apiError, tooManyAttempts, validate } from '../http/errors.ts';
import { changePasswordSchema, createTokenSchema } from '../../shared/accounts.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { refuseWeakPassword } from '../auth/password-policy.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { clientAddress } from '../http/client-info.ts';

const idParam = z.object({ id: idSchema });

/** What every signed-in person manages for themselves: password, sessions, API tokens. Access: server/auth/access-policy.ts. */
export const accountRoutes = new Hono<AppEnv>()
  .post('/account/password', validate('json', changePasswordSchema), async (c) => {
    const { store, user, credential } = c.var;
    const { currentPassword, newPassword, revokeTokens } = c.req.valid('json');
    // A stolen session must not become a way to guess the password: failures count like failed logins.
    const address = clientAddress(c);
    const verdict = await store.loginThrottle.attempt(user.username, address, Date.now());
    if (!verdict.allowed) {
      if (verdict.firstOfBurst) await store.audit.record(user.id, 'password.throttled', user.username, { address, scope: verdict.scope, failures: verdict.failures });
      return tooManyAttempts(c, verdict.retryAfterSeconds, 'too many wrong passwords');
    }
    const stored = await store.accounts.passwordHash(user.id);
    if (!stored || !(await verifyPassword(currentPassword, stored))) {
      await store.loginThrottle.failed(address, Date.now());
      return apiError(c, 400, 'wrong_password', 'the current password is wrong');
    }
    await store.loginThrottle.succeeded(user.username, address);
    const weak = refuseWeakPassword(c, 'newPassword', newPassword, user.username);
    if (weak) return weak;
    await store.accounts.setPassword(user.id, await hashPassword(newPassword));
    // Whoever knew the old password is logged out everywhere but here, and loses the tokens unless the owner keeps them.
    const ended = credential.kind === 'session' ? await store.accounts.revokeOtherSessions(user.id, credential.tokenHash) : await store.accounts.revokeAllSessions(user.id);
    const revokedTokens = revokeTokens ? await store.accounts.revokeAllTokens(user.id) : 0;
    await store.audit.record(user.id, 'password.change', user.username, { endedSessions: ended, revokedTokens });
    return c.json({ ok: true as const, endedSessions: ended, revokedTokens }, 200);
  })
  .get('/account/sessions', async (c) => {
    const { store, user, credential } = c.var;
    return c.json({ sessions: await store.accounts.sessionsOf(user.id, credential.kind === 'session' ? credential.tokenHash : null) }, 200);
  })
  .delete('/account/sessions/:id', validate('param', idParam), async (c) => {
    const { store, user } = c.var;
    const { id } = c.req.valid('param');
    if (!await store.accounts.revokeSession(user.id, id)) return apiError(c, 404, 'not_found', `session ${id} does not exist`);
    await store.audit.record(user.id, 'session.revoke', String(id));
    return c.json({ ok: true as const }, 200);
  })
  .get('/tokens', async (c) => c.json({ tokens: await c.var.store.accounts.tokensOf(c.var.user.id) }, 200))
  .post('/tokens', validate('json', createTokenSchema), async (c) => {
    const { store, user } = c.var;
    const token = newToken('pt');
    const created = await store.accounts.createToken(user.id, c.req.valid('json').name, hashToken(token));
    await store.audit.record(user.id, 'token.create', String(created.id), { name: created.name });
    // The token itself is shown this once; only its hash is stored.
    return c.json({ token, apiToken: created }, 201);
  })
  .delete('/tokens/:id', validate('param', idParam), async (c) => {
    const { store, user } = c.var;
    const { id } = c.req.valid('param');
    if (!await store.accounts.revokeToken(user.id, id)) return apiError(c, 404, 'not_found', `token ${id} does not exist or is already revoked`);
    await store.audit.record(user.id, 'token.revoke', String(id));
    return c.json({ ok: true as const }, 200);
  });
