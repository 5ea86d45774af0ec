import type { Db } from './db.ts';
import type { Role } from '../../shared/users.ts';

export type SessionUser = { id: number; username: string; role: Role };

export function sessionsStore(db: Db) {
  const insert = db.prepare<[string, number, number, number]>('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const lookup = db.prepare<[string, number], SessionUser>(
    `SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
  );
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
  const tokenLookup = db.prepare<[string], SessionUser & { token_id: number; last_used_at: string | null }>(
    `SELECT u.id, u.username, u.role, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`,
  );
  const touchToken = db.prepare<[number]>("UPDATE api_tokens SET last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?");
  return {
    create(tokenHash: string, userId: number, ttlMs: number): void {
      const now = Date.now();
      insert.run(tokenHash, userId, now, now + ttlMs);
    },
    userFor(tokenHash: string): SessionUser | null {
      return lookup.get(tokenHash, Date.now()) ?? null;
    },
    remove(tokenHash: string): void {
      remove.run(tokenHash);
    },
    userForApiToken(tokenHash: string): SessionUser | null {
      return this.apiTokenUse(tokenHash)?.user ?? null;
    },
    /** The token's owner, and how long the token had been idle (Infinity if never used), so use can be audited sparingly. */
    apiTokenUse(tokenHash: string): { user: SessionUser; tokenId: number; idleMs: number } | null {
      const row = tokenLookup.get(tokenHash);
      if (!row) return null;
      touchToken.run(row.token_id);
      const idleMs = row.last_used_at === null ? Number.POSITIVE_INFINITY : Date.now() - Date.parse(row.last_used_at);
      return { user: { id: row.id, username: row.username, role: row.role }, tokenId: row.token_id, idleMs };
    },
  };
}
