/**
 * Failed-login throttling as pure arithmetic over stored counters; the store (server/store/login-throttle.ts) keeps
 * the counters in a table and the clock is passed in, so tests move time instead of sleeping. Two counters answer
 * two questions: per (account, address), how hard is this client guessing this account? Per address, how hard is
 * this client guessing at all? Neither is per account alone, so nobody can lock an owner out from elsewhere.
 * See docs/decisions/008-login-throttling.md.
 */
export type ThrottleRule = {
  /** Failures allowed before any waiting: a person who mistypes a few times never waits. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with every further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter with no failure for this long starts again from zero. */
  forgetMs: number;
};
export type ThrottleLimits = { pair: ThrottleRule; address: ThrottleRule };

const minute = 60 * 1000;
export const defaultThrottleLimits: ThrottleLimits = {
  // 3 free tries, then 5 s, 10 s, 20 s, … up to 15 min between guesses at one account from one address.
  pair: { freeFailures: 3, baseDelayMs: 5000, maxDelayMs: 15 * minute, forgetMs: 60 * minute },
  // an address spraying many accounts: 20 free, then the same doubling.
  address: { freeFailures: 20, baseDelayMs: 5000, maxDelayMs: 15 * minute, forgetMs: 60 * minute },
};

export type ThrottleState = { failures: number; blockedUntil: number; forgetAt: number; refused: number };
export type ThrottleScope = 'pair' | 'address';

/** How long a counter at `failures` makes the client wait before its next attempt. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  const over = failures - rule.freeFailures;
  if (over <= 0) return 0;
  // 2^30 already dwarfs any sane cap; the exponent is bounded so the number stays finite.
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(over - 1, 30));
}

/** The counter as it stands at `now`: null once it has been forgotten. */
export function live(state: ThrottleState | null | undefined, now: number): ThrottleState | null {
  return state && state.forgetAt > now ? state : null;
}

/** One more failure; a new block starts a new burst, so its first refusal is audited again. */
export function afterFailure(state: ThrottleState | null, rule: ThrottleRule, now: number): ThrottleState {
  const failures = (state?.failures ?? 0) + 1;
  const delay = delayAfter(failures, rule);
  return { failures, blockedUntil: delay > 0 ? now + delay : 0, forgetAt: now + Math.max(rule.forgetMs, delay), refused: 0 };
}

export type ThrottleVerdict =
  | { allowed: true }
  | { allowed: false; scope: ThrottleScope; retryAfterSeconds: number; failures: number; firstOfBurst: boolean };

/** Whether an attempt may be tried now; when not, which counter refused it (the one that blocks longer). */
export function verdict(pair: ThrottleState | null, address: ThrottleState | null, now: number): ThrottleVerdict {
  const pairWait = pair ? pair.blockedUntil - now : 0;
  const addressWait = address ? address.blockedUntil - now : 0;
  if (pairWait <= 0 && addressWait <= 0) return { allowed: true };
  const scope: ThrottleScope = pairWait >= addressWait ? 'pair' : 'address';
  const state = (scope === 'pair' ? pair : address) as ThrottleState;
  return { allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(pairWait, addressWait) / 1000)), failures: state.failures, firstOfBurst: state.refused === 0 };
}
