/** Statuses worth another try: timeout, conflict (OpenAI lock contention), rate limit, and server trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Longest wait a server may ask for; past it we still wait this long rather than give up or hammer it. */
export const maxServerDelayMs = 5 * 60_000;

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (OpenAI's, fractional ms) first, then
 * `retry-after` as delta-seconds or an HTTP date (RFC 9110 §10.2.3). Null when absent or unreadable.
 */
export function serverRetryDelayMs(headers: { retryAfterMs?: string | null; retryAfter?: string | null }, nowMs: number): number | null {
  const ms = headers.retryAfterMs?.trim();
  if (ms) {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return Math.min(Math.ceil(v), maxServerDelayMs);
  }
  const ra = headers.retryAfter?.trim();
  if (!ra) return null;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.min(Math.ceil(Number(ra) * 1000), maxServerDelayMs);
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, date - nowMs), maxServerDelayMs);
}

export type BackoffOptions = { baseMs: number; capMs: number };
export const defaultBackoff: BackoffOptions = { baseMs: 250, capMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the doubled delay is fixed, half random, so retries from many
 * workers spread out yet never come back at once. `attempt` counts from 0 for the first retry.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = defaultBackoff, random: () => number = Math.random): number {
  const full = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(full / 2 + random() * (full / 2));
}

/** The wait before retry `attempt`: the server's word when it gave one, our backoff otherwise. */
export function retryDelayMs(attempt: number, serverDelay: number | null, options: BackoffOptions = defaultBackoff, random: () => number = Math.random): number {
  return serverDelay ?? backoffDelayMs(attempt, options, random);
}
