/**
 * Counts failed logins per account and per client address in a sliding window. Pure: the clock is passed in,
 * so tests move time instead of sleeping. Limits are low enough to stop guessing and high enough that a
 * person who mistypes a few times is not locked out for long.
 */
export type ThrottleLimits = { perAccount: number; perAddress: number; windowMs: number };

export const defaultThrottleLimits: ThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60 * 1000 };

// Bounds memory under a spray of random usernames: old keys are dropped first.
const maxKeys = 50_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: 'account' | 'address' };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = defaultThrottleLimits) {}

  /** Whether a login for this account from this address may even be tried now. */
  check(account: string, address: string, now: number): ThrottleVerdict {
    const a = this.blockedFor(`u:${account.toLowerCase()}`, this.limits.perAccount, now);
    const b = this.blockedFor(`a:${address}`, this.limits.perAddress, now);
    if (a === 0 && b === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(a, b) / 1000)), scope: a >= b ? 'account' : 'address' };
  }

  recordFailure(account: string, address: string, now: number): void {
    this.push(`u:${account.toLowerCase()}`, now);
    this.push(`a:${address}`, now);
  }

  /** A correct password clears the account's failures; the address keeps its count, so one known account cannot launder guesses at others. */
  recordSuccess(account: string): void {
    this.failures.delete(`u:${account.toLowerCase()}`);
  }

  /** Milliseconds until the key may try again; 0 if it may now. */
  private blockedFor(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    const oldestCounted = times[times.length - limit] ?? now;
    return Math.max(0, oldestCounted + this.limits.windowMs - now);
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const kept = times.filter((t) => t > now - this.limits.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  private push(key: string, now: number): void {
    const times = this.recent(key, now);
    times.push(now);
    this.failures.delete(key);
    this.failures.set(key, times);
    if (this.failures.size > maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }
}
