import type { Context } from 'hono';
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from './env.ts';

/** The last entry of a comma-separated forwarding header: the one our own proxy (one hop) wrote. */
function lastForwarded(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const parts = value.split(',');
  return parts[parts.length - 1]?.trim() || undefined;
}

function peerAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in unit tests has no socket
    return 'unknown';
  }
}

/**
 * Who is calling, for throttling and the session list. Behind a reverse proxy the peer is the proxy, so with
 * PODIUM_TRUST_PROXY=1 the address the proxy appended to X-Forwarded-For counts instead; entries left of it are
 * whatever the client claimed and are never used. Without the setting the header is ignored: anyone could send it.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('trustProxy')) {
    const forwarded = lastForwarded(c.req.header('x-forwarded-for'));
    if (forwarded && isIP(forwarded)) return forwarded;
  }
  return peerAddress(c);
}

/** Whether the browser reached us over TLS: our own https, or a trusted proxy that says X-Forwarded-Proto: https. */
export function servedOverHttps(c: Context<AppEnv>): boolean {
  if (c.req.url.startsWith('https:')) return true;
  return c.get('trustProxy') === true && lastForwarded(c.req.header('x-forwarded-proto'))?.toLowerCase() === 'https';
}
