import type { Db } from './db.ts';
import { afterFailure, defaultThrottleLimits, live, verdict, type ThrottleLimits, type ThrottleScope, type ThrottleState, type ThrottleVerdict } from '../auth/login-throttle.ts';

type Row = { failures: number; blocked_until: number; forget_at: number; refused: number };

const toState = (r: Row | undefined): ThrottleState | null =>
  r ? { failures: r.failures, blockedUntil: r.blocked_until, forgetAt: r.forget_at, refused: r.refused } : null;

/** The pair key: usernames are matched case-blind here so `Admin` and `admin` share one counter. */
const pairSubject = (account: string, address: string) => `${account.toLowerCase()}\n${address}`;

/**
 * The throttle's counters (table login_throttle, migration 007). Each call is one transaction that reads both
 * counters, decides with the pure rules of server/auth/login-throttle.ts and writes them back, so app servers
 * sharing the database (and concurrent requests in one) never both slip through on one count.
 */
export function loginThrottleStore(db: Db, limits: ThrottleLimits = defaultThrottleLimits) {
  const get = db.prepare<[ThrottleScope, string], Row>('SELECT failures, blocked_until, forget_at, refused FROM login_throttle WHERE scope = ? AND subject = ?');
  const put = db.prepare<[ThrottleScope, string, number, number, number, number]>(
    `INSERT INTO login_throttle (scope, subject, failures, blocked_until, forget_at, refused) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, subject) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until,
       forget_at = excluded.forget_at, refused = excluded.refused`,
  );
  const remove = db.prepare<[ThrottleScope, string]>('DELETE FROM login_throttle WHERE scope = ? AND subject = ?');
  const sweep = db.prepare<[number]>('DELETE FROM login_throttle WHERE forget_at <= ?');
  const write = (scope: ThrottleScope, subject: string, s: ThrottleState) => put.run(scope, subject, s.failures, s.blockedUntil, s.forgetAt, s.refused);

  return {
    /**
     * Asks to try a password. Refused: the refusal is counted (its first one per block is the burst's audit row).
     * Allowed: the attempt counts against its pair at once, before the slow password check, so a thousand parallel
     * guesses at one account cannot all pass one count; `succeeded` takes it back. The address is only charged for
     * real failures (`failed`): an office logging in at nine behind one NAT must not look like a spray.
     */
    attempt(account: string, address: string, now: number): ThrottleVerdict {
      return db
        .transaction((): ThrottleVerdict => {
          sweep.run(now);
          const pairKey = pairSubject(account, address);
          const pair = live(toState(get.get('pair', pairKey)), now);
          const byAddress = live(toState(get.get('address', address)), now);
          const answer = verdict(pair, byAddress, now);
          if (!answer.allowed) {
            const refusing = answer.scope === 'pair' ? pair : byAddress;
            if (refusing) write(answer.scope, answer.scope === 'pair' ? pairKey : address, { ...refusing, refused: refusing.refused + 1 });
            return answer;
          }
          write('pair', pairKey, afterFailure(pair, limits.pair, now));
          return answer;
        })
        .immediate();
    },
    /** The password was wrong: the address is charged (its pair was charged when the attempt was admitted). */
    failed(address: string, now: number): void {
      db.transaction(() => {
        write('address', address, afterFailure(live(toState(get.get('address', address)), now), limits.address, now));
      }).immediate();
    },
    /**
     * The password was right: this account's counter from this address is cleared. The address keeps its failures,
     * so one known account cannot launder guesses at others.
     */
    succeeded(account: string, address: string): void {
      remove.run('pair', pairSubject(account, address));
    },
  };
}
