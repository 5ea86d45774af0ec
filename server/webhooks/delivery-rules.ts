// Pure rules of delivery: which hosts a webhook may reach, what counts as delivered, and when to try again.

/** The host a URL names, as PODIUM_WEBHOOK_HOSTS lists hosts: lower case, IPv6 without brackets. */
export function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** Null when `url` may be a target; otherwise why not. `hosts` null allows every host. */
export function hostRefusal(url: string, hosts: readonly string[] | null): string | null {
  if (hosts === null) return null;
  const host = hostOf(url);
  return hosts.some((h) => h.replace(/^\[(.*)\]$/, '$1') === host) ? null : `the host ${host} is not in PODIUM_WEBHOOK_HOSTS (${hosts.join(', ')})`;
}

/** A 2xx answer is a delivery; a redirect is not followed (it could lead anywhere, past PODIUM_WEBHOOK_HOSTS too). */
export const isDelivered = (status: number): boolean => status >= 200 && status < 300;

/**
 * The wait before attempt `failed + 1`, after `failed` failures (1 or more): `retryMs` doubled per earlier failure, at
 * most `maxRetryMs`, then shortened by up to a fifth at random so that receivers coming back up are not hit in step.
 */
export function retryDelayMs(failed: number, s: { retryMs: number; maxRetryMs: number }, random: number): number {
  const full = Math.min(s.maxRetryMs, s.retryMs * 2 ** Math.max(0, failed - 1));
  return Math.round(full * (1 - 0.2 * random));
}

/** When to try again after `attempt` failed, or null when it was the last of `maxAttempts`. */
export function nextAttemptAt(attempt: number, at: number, s: { retryMs: number; maxRetryMs: number; maxAttempts: number }, random: number): number | null {
  return attempt >= s.maxAttempts ? null : at + retryDelayMs(attempt, s, random);
}
