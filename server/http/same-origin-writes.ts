import type { Context } from 'hono';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env.ts';
import { apiError } from './errors.ts';

/** The host the browser addressed: Host, or with PODIUM_TRUST_PROXY the host our proxy says it was asked for. */
function requestHost(c: Context<AppEnv>): string | undefined {
  const forwarded = c.get('trustProxy') ? c.req.header('x-forwarded-host')?.split(',').pop()?.trim() : undefined;
  return forwarded || c.req.header('host');
}

/**
 * Hono's CSRF check with our notion of "same origin": the Origin's host must be the request's own host (the scheme
 * may differ: behind a TLS proxy the browser says https while we are served plain http). A malformed Origin (even
 * `null`) is simply not ours; nothing here throws on it.
 */
const honoCsrf = csrf({
  origin: (origin, c) => URL.canParse(origin) && new URL(origin).host === requestHost(c as Context<AppEnv>),
  // `none`: the person typed or bookmarked the address; no other site was involved.
  secFetchSite: ['same-origin', 'none'],
});

/**
 * Refuses state changes a browser sent on behalf of another site (the cookie would ride along). Hono checks the
 * bodies a page on another site can send without asking (forms, text/plain, no body); anything else (JSON) needs a
 * CORS preflight, which Podium never grants. Callers that send neither Origin nor Sec-Fetch-Site are scripts
 * (curl, trainers with a token), not browsers, which always send Origin on a cross-origin write.
 */
export const sameOriginWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('origin') === undefined && c.req.header('sec-fetch-site') === undefined) return next();
  let passed = false;
  try {
    await honoCsrf(c, async () => {
      passed = true;
      await next();
    });
  } catch (err) {
    // Only the check's own refusal becomes our error body; anything thrown further in is the app's to answer.
    if (passed || !(err instanceof HTTPException) || err.status !== 403) throw err;
    return apiError(c, 403, 'cross_site', 'cross-site requests may not change anything');
  }
});
