import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { loginSchema } from '../../shared/users.ts';
import { verifyPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { requireUser, sessionCookie } from '../auth/middleware.ts';

const sessionTtlMs = 7 * 24 * 3600 * 1000;

export const authRoutes = new Hono<AppEnv>()
  .post('/auth/login', validate('json', loginSchema), async (c) => {
    const { username, password } = c.req.valid('json');
    const store = c.var.store;
    const found = store.users.byUsername(username);
    const ok = found !== null && !found.disabled && (await verifyPassword(password, found.passwordHash));
    if (!found || !ok) {
      store.audit.record(found?.id ?? null, 'login.failed', username);
      return apiError(c, 401, 'bad_credentials', 'wrong username or password');
    }
    const token = newToken('ps');
    store.sessions.create(hashToken(token), found.id, sessionTtlMs);
    store.audit.record(found.id, 'login', username);
    setCookie(c, sessionCookie, token, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: sessionTtlMs / 1000,
      secure: c.req.url.startsWith('https:'),
    });
    const { passwordHash: _hash, ...user } = found;
    return c.json({ user }, 200);
  })
  .post('/auth/logout', requireUser, (c) => {
    const cookie = getCookie(c, sessionCookie);
    if (cookie) c.var.store.sessions.remove(hashToken(cookie));
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.json({ ok: true }, 200);
  })
  .get('/me', requireUser, (c) => {
    const user = c.var.store.users.byId(c.var.user.id);
    if (!user) return apiError(c, 401, 'unauthenticated', 'log in first');
    return c.json({ user }, 200);
  });
