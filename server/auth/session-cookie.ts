import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { clientAddress, servedOverHttps } from '../http/client-info.ts';
import type { AppEnv } from '../http/env.ts';
import { hashToken, newToken } from './tokens.ts';
import { sessionCookie } from './access.ts';

/** Sessions end after a week whatever happens; revoking or disabling ends them sooner. */
export const sessionTtlMs = 7 * 24 * 3600 * 1000;

/** Starts a session for the user and sets its cookie (HttpOnly, SameSite=Lax; Secure over TLS, ours or a trusted proxy's). */
export async function startSession(c: Context<AppEnv>, userId: number): Promise<void> {
  const token = newToken('ps');
  await c.var.store.accounts.createSession(hashToken(token), userId, sessionTtlMs, c.req.header('user-agent') ?? null, clientAddress(c));
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: sessionTtlMs / 1000,
    secure: servedOverHttps(c),
  });
}
