import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../http/env.ts';
import type { Store } from '../store/store.ts';
import { hashToken, newToken } from './tokens.ts';
import { sessionCookie } from './access.ts';
import { LoginThrottle } from './login-throttle.ts';

/** Sessions end after a week whatever happens; revoking or disabling ends them sooner. */
export const sessionTtlMs = 7 * 24 * 3600 * 1000;

/** The peer address; behind a reverse proxy this is the proxy, which still bounds guessing through it. */
export function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in unit tests has no socket
    return 'unknown';
  }
}

/** Starts a session for the user and sets its cookie (HttpOnly, SameSite=Lax, Secure over https). */
export async function startSession(c: Context<AppEnv>, userId: number): Promise<void> {
  const token = newToken('ps');
  await c.var.store.accounts.createSession(hashToken(token), userId, sessionTtlMs, c.req.header('user-agent') ?? null, clientAddress(c));
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: sessionTtlMs / 1000,
    secure: c.req.url.startsWith('https:'),
  });
}

// One throttle per opened store, i.e. per running app, so parallel test servers do not share counts.
const throttles = new WeakMap<Store, LoginThrottle>();

export function loginThrottle(store: Store): LoginThrottle {
  let throttle = throttles.get(store);
  if (!throttle) {
    throttle = new LoginThrottle();
    throttles.set(store, throttle);
  }
  return throttle;
}
