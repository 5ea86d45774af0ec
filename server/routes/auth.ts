import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { loginSchema } from '../../shared/users.ts';
import { hashPassword, randomPassword, verifyPassword } from '../auth/password.ts';
import { hashToken } from '../auth/tokens.ts';
import { sessionCookie } from '../auth/middleware.ts';
import { authenticate } from '../auth/access.ts';
import { startSession } from '../auth/session-cookie.ts';
import { clientAddress } from '../http/client-info.ts';
import { tooManyAttempts } from '../http/errors.ts';

// Unknown usernames are checked against this, so a login takes as long whether or not the account exists.
let dummyHash: Promise<string> | null = null;

export const authRoutes = new Hono<AppEnv>()
  .post('/auth/login', validate('json', loginSchema), async (c) => {
    const { username, password } = c.req.valid('json');
    const store = c.var.store;
    const address = clientAddress(c);
    const verdict = await store.loginThrottle.attempt(username, address, Date.now());
    if (!verdict.allowed) {
      // One audit row per burst: the first refusal of each block, not every hammering request.
      if (verdict.firstOfBurst) await store.audit.record(null, 'login.throttled', username, { address, scope: verdict.scope, failures: verdict.failures, retryAfterSeconds: verdict.retryAfterSeconds });
      return tooManyAttempts(c, verdict.retryAfterSeconds, 'too many failed logins');
    }
    const found = await store.users.byUsername(username);
    dummyHash ??= hashPassword(randomPassword());
    const matches = await verifyPassword(password, found?.passwordHash ?? (await dummyHash));
    if (!found || !matches || found.disabled) {
      await store.loginThrottle.failed(address, Date.now());
      await store.audit.record(found?.id ?? null, 'login.failed', username, { address, ...(found?.disabled && matches ? { disabled: true } : {}) });
      return apiError(c, 401, 'bad_credentials', 'wrong username or password');
    }
    await store.loginThrottle.succeeded(username, address);
    await startSession(c, found.id);
    await store.audit.record(found.id, 'login', username, { address });
    const { passwordHash: _hash, ...user } = found;
    return c.json({ user }, 200);
  })
  .post('/auth/logout', async (c) => {
    const cookie = getCookie(c, sessionCookie);
    if (cookie) await c.var.store.sessions.remove(hashToken(cookie));
    deleteCookie(c, sessionCookie, { path: '/' });
    await c.var.store.audit.record(c.var.user.id, 'logout', c.var.user.username);
    return c.json({ ok: true }, 200);
  })
  // The browser's question "am I signed in?": `{ user: null }` is a normal answer, so a visit to the login
  // page logs no failed request. Scripts keep `/me`, whose 401 tells them their credential is not valid.
  .get('/session', async (c) => {
    const user = (await authenticate(c)) ? await c.var.store.users.byId(c.var.user.id) : undefined;
    return c.json({ user: user ?? null }, 200);
  })
  .get('/me', async (c) => {
    const user = await c.var.store.users.byId(c.var.user.id);
    if (!user) return apiError(c, 401, 'unauthenticated', 'log in first');
    return c.json({ user }, 200);
  });
