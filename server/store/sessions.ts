import { get, run, type Engine } from './engine/sql.ts';
import type { Role } from '../../shared/users.ts';

export type SessionUser = { id: number; username: string; role: Role };

/**
 * Which session counts: unexpired, of an enabled user. The one rule, also joined into submit's access statement
 * (server/store/projects.ts); its parameters are the token's hash, then now.
 */
export const liveSession = {
  from: 'sessions s JOIN users u ON u.id = s.user_id',
  where: 's.token_hash = ? AND s.expires_at > ? AND u.disabled = 0',
} as const;

export function sessionsStore(engine: Engine) {
  return {
    async create(tokenHash: string, userId: number, ttlMs: number): Promise<void> {
      const now = Date.now();
      await engine.read(run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', tokenHash, userId, now, now + ttlMs));
    },
    async userFor(tokenHash: string): Promise<SessionUser | null> {
      const row = await engine.readTogether(
        get<SessionUser>(
          `SELECT u.id, u.username, u.role FROM ${liveSession.from} WHERE ${liveSession.where}`,
          tokenHash,
          Date.now(),
        ),
      );
      return row ?? null;
    },
    async remove(tokenHash: string): Promise<void> {
      await engine.read(run('DELETE FROM sessions WHERE token_hash = ?', tokenHash));
    },
    async userForApiToken(tokenHash: string): Promise<SessionUser | null> {
      return (await this.apiTokenUse(tokenHash))?.user ?? null;
    },
    /** The token's owner, and how long the token had been idle (Infinity if never used), so use can be audited sparingly. */
    apiTokenUse(tokenHash: string): Promise<{ user: SessionUser; tokenId: number; idleMs: number } | null> {
      return engine.read(
        (function* () {
          const row = yield* get<SessionUser & { token_id: number; last_used_at: string | null }>(
            `SELECT u.id, u.username, u.role, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`,
            tokenHash,
          );
          if (!row) return null;
          yield* run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', new Date().toISOString(), row.token_id);
          const idleMs = row.last_used_at === null ? Number.POSITIVE_INFINITY : Date.now() - Date.parse(row.last_used_at);
          return { user: { id: row.id, username: row.username, role: row.role }, tokenId: row.token_id, idleMs };
        })(),
      );
    },
  };
}
