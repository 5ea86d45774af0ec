import { get, run, type Engine, type Sql } from './engine/sql.ts';
import { afterFailure, defaultThrottleLimits, live, verdict, type ThrottleLimits, type ThrottleScope, type ThrottleState, type ThrottleVerdict } from '../auth/login-throttle.ts';

type Row = { failures: number; blocked_until: number; forget_at: number; refused: number };

const toState = (r: Row | undefined): ThrottleState | null =>
  r ? { failures: r.failures, blockedUntil: r.blocked_until, forgetAt: r.forget_at, refused: r.refused } : null;

/** The pair key: usernames are matched case-blind here so `Admin` and `admin` share one counter. */
const pairSubject = (account: string, address: string) => `${account.toLowerCase()}\n${address}`;

// Locked on Postgres until the transaction ends, so two servers deciding on one counter take turns (SQLite's write lock does that already).
const stateOf = function* (scope: ThrottleScope, subject: string): Sql<ThrottleState | null> {
  return toState(yield* get<Row>('SELECT failures, blocked_until, forget_at, refused FROM login_throttle WHERE scope = ? AND subject = ? FOR UPDATE', scope, subject));
};
const write = (scope: ThrottleScope, subject: string, s: ThrottleState): Sql<number> =>
  run(
    `INSERT INTO login_throttle (scope, subject, failures, blocked_until, forget_at, refused) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, subject) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until,
       forget_at = excluded.forget_at, refused = excluded.refused`,
    scope, subject, s.failures, s.blockedUntil, s.forgetAt, s.refused,
  );

/**
 * The throttle's counters (table login_throttle, migration 007). Each call is one transaction that reads both
 * counters, decides with the pure rules of server/auth/login-throttle.ts and writes them back, so app servers
 * sharing the database (and concurrent requests in one) never both slip through on one count.
 */
export function loginThrottleStore(engine: Engine, limits: ThrottleLimits = defaultThrottleLimits) {
  return {
    /**
     * Asks to try a password. Refused: the refusal is counted (its first one per block is the burst's audit row).
     * Allowed: the attempt counts against its pair at once, before the slow password check, so a thousand parallel
     * guesses at one account cannot all pass one count; `succeeded` takes it back. The address is only charged for
     * real failures (`failed`): an office logging in at nine behind one NAT must not look like a spray.
     */
    attempt(account: string, address: string, now: number): Promise<ThrottleVerdict> {
      return engine.transaction(function* (): Sql<ThrottleVerdict> {
        yield* run('DELETE FROM login_throttle WHERE forget_at <= ?', now);
        const pairKey = pairSubject(account, address);
        const pair = live(yield* stateOf('pair', pairKey), now);
        const byAddress = live(yield* stateOf('address', address), now);
        const answer = verdict(pair, byAddress, now);
        if (!answer.allowed) {
          const refusing = answer.scope === 'pair' ? pair : byAddress;
          if (refusing) yield* write(answer.scope, answer.scope === 'pair' ? pairKey : address, { ...refusing, refused: refusing.refused + 1 });
          return answer;
        }
        yield* write('pair', pairKey, afterFailure(pair, limits.pair, now));
        return answer;
      });
    },
    /** The password was wrong: the address is charged (its pair was charged when the attempt was admitted). */
    failed(address: string, now: number): Promise<void> {
      return engine.transaction(function* () {
        yield* write('address', address, afterFailure(live(yield* stateOf('address', address), now), limits.address, now));
      });
    },
    /**
     * The password was right: this account's counter from this address is cleared. The address keeps its failures,
     * so one known account cannot launder guesses at others.
     */
    async succeeded(account: string, address: string): Promise<void> {
      await engine.read(run("DELETE FROM login_throttle WHERE scope = 'pair' AND subject = ?", pairSubject(account, address)));
    },
  };
}
