import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import { upsertMember } from './projects.ts';
import { userByName } from './users.ts';
import type { Role } from '../../shared/users.ts';
import type { ApiTokenView, AuditEntry, InviteView, SessionView } from '../../shared/accounts.ts';

type InviteRow = {
  id: number;
  token_hash: string;
  role: Role;
  project_id: number | null;
  project_name: string | null;
  created_by: number | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: number | null;
};

const toInvite = (r: InviteRow): InviteView => ({
  id: r.id,
  role: r.role,
  projectId: r.project_id,
  projectName: r.project_name,
  createdAt: new Date(r.created_at).toISOString(),
  expiresAt: new Date(r.expires_at).toISOString(),
  usedAt: r.used_at === null ? null : new Date(r.used_at).toISOString(),
});

export type InviteLookup = { ok: true; invite: InviteView } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export type AcceptOutcome = { ok: true; userId: number } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'username_taken' };

type SessionRow = { id: number; token_hash: string; created_at: number; expires_at: number; user_agent: string | null; address: string | null };
type TokenRow = { id: number; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null };
type AuditRow = { id: number; at: string; user_id: number | null; username: string | null; action: string; target: string | null; detail: string | null };

function parseDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}

const inviteSelect = 'SELECT i.*, p.name AS project_name FROM invites i LEFT JOIN projects p ON p.id = i.project_id';

function* lookupInvite(tokenHash: string, now: number): Sql<InviteLookup> {
  const row = yield* get<InviteRow>(`${inviteSelect} WHERE i.token_hash = ?`, tokenHash);
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  return { ok: true, invite: toInvite(row) };
}

const revokeTokensOf = (userId: number): Sql<number> => run('UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', new Date().toISOString(), userId);
const removeSessionsOf = (userId: number): Sql<number> => run('DELETE FROM sessions WHERE user_id = ?', userId);
const toToken = (r: TokenRow): ApiTokenView => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at });

/** Invites, sessions and tokens as their owners and admins manage them; the hot-path lookups stay in sessions.ts. */
export function accountsStore(engine: Engine) {
  return {
    createInvite(tokenHash: string, role: Role, projectId: number | null, createdBy: number, ttlMs: number): Promise<InviteView> {
      return engine.transaction(function* () {
        const now = Date.now();
        const id = (yield* get<{ id: number }>(
          'INSERT INTO invites (token_hash, role, project_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
          tokenHash, role, projectId, createdBy, now, now + ttlMs,
        ))?.id;
        const row = id === undefined ? undefined : yield* get<InviteRow>(`${inviteSelect} WHERE i.id = ?`, id);
        if (!row) throw new Error('invite insert returned nothing');
        return toInvite(row);
      });
    },
    lookupInvite(tokenHash: string): Promise<InviteLookup> {
      return engine.read(lookupInvite(tokenHash, Date.now()));
    },
    async pendingInvites(): Promise<InviteView[]> {
      return (await engine.read(all<InviteRow>(`${inviteSelect} WHERE i.used_at IS NULL AND i.expires_at > ? ORDER BY i.id DESC`, Date.now()))).map(toInvite);
    },
    /** Creates the invited account and uses up the invite in one transaction: all or nothing. */
    acceptInvite(tokenHash: string, username: string, hash: string): Promise<AcceptOutcome> {
      return engine.transaction(function* (): Sql<AcceptOutcome> {
        const now = Date.now();
        const found = yield* lookupInvite(tokenHash, now);
        if (!found.ok) return found;
        if (yield* userByName(username)) return { ok: false, reason: 'username_taken' };
        const userId = (yield* get<{ id: number }>('INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) RETURNING id', username, hash, found.invite.role))?.id;
        if (userId === undefined) throw new Error('user insert returned nothing');
        // Claiming is one conditional UPDATE, so two people racing with the same link cannot both get an account.
        const claimed = yield* run('UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?', now, userId, found.invite.id, now);
        if (claimed !== 1) throw new Error('invite was claimed concurrently');
        if (found.invite.projectId !== null) yield* upsertMember(found.invite.projectId, userId, found.invite.role === 'lead' ? 'lead' : 'labeler');
        return { ok: true, userId };
      });
    },

    createSession(tokenHash: string, userId: number, ttlMs: number, userAgent: string | null, address: string | null): Promise<void> {
      return engine.read(
        (function* () {
          const now = Date.now();
          // Expired rows are swept at login, the only moment the table grows.
          yield* run('DELETE FROM sessions WHERE expires_at <= ?', now);
          yield* run(
            'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, address) VALUES (?, ?, ?, ?, ?, ?)',
            tokenHash, userId, now, now + ttlMs, userAgent?.slice(0, 300) ?? null, address,
          );
        })(),
      );
    },
    async sessionsOf(userId: number, currentHash: string | null): Promise<SessionView[]> {
      const rows = await engine.read(
        all<SessionRow>('SELECT rowid AS id, token_hash, created_at, expires_at, user_agent, address FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC', userId, Date.now()),
      );
      return rows.map((r) => ({
        id: r.id,
        createdAt: new Date(r.created_at).toISOString(),
        expiresAt: new Date(r.expires_at).toISOString(),
        userAgent: r.user_agent,
        address: r.address,
        current: r.token_hash === currentHash,
      }));
    },
    async revokeSession(userId: number, sessionId: number): Promise<boolean> {
      return (await engine.read(run('DELETE FROM sessions WHERE rowid = ? AND user_id = ?', sessionId, userId))) === 1;
    },
    revokeAllSessions(userId: number): Promise<number> {
      return engine.read(removeSessionsOf(userId));
    },
    /** "Sign out everywhere": every session and every API token of the account, in one transaction. */
    signOutEverywhere(userId: number): Promise<{ endedSessions: number; revokedTokens: number }> {
      return engine.transaction(function* () {
        const endedSessions = yield* removeSessionsOf(userId);
        return { endedSessions, revokedTokens: yield* revokeTokensOf(userId) };
      });
    },
    revokeAllTokens(userId: number): Promise<number> {
      return engine.read(revokeTokensOf(userId));
    },
    revokeOtherSessions(userId: number, keepHash: string): Promise<number> {
      return engine.read(run('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?', userId, keepHash));
    },

    async createToken(userId: number, name: string, tokenHash: string): Promise<ApiTokenView> {
      const row = await engine.read(get<TokenRow>('INSERT INTO api_tokens (user_id, name, token_hash) VALUES (?, ?, ?) RETURNING *', userId, name, tokenHash));
      if (!row) throw new Error('token insert returned nothing');
      return toToken(row);
    },
    async tokensOf(userId: number): Promise<ApiTokenView[]> {
      return (await engine.read(all<TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id DESC', userId))).map(toToken);
    },
    async revokeToken(userId: number, tokenId: number): Promise<boolean> {
      return (await engine.read(run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL', new Date().toISOString(), tokenId, userId))) === 1;
    },

    async passwordHash(userId: number): Promise<string | null> {
      return (await engine.read(get<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = ?', userId)))?.password_hash ?? null;
    },
    async setPassword(userId: number, hash: string): Promise<void> {
      await engine.read(run('UPDATE users SET password_hash = ? WHERE id = ?', hash, userId));
    },
    /** Disabling also ends every session and token at once, not at their expiry. */
    setDisabled(userId: number, disabled: boolean): Promise<void> {
      return engine.transaction(function* () {
        yield* run('UPDATE users SET disabled = ? WHERE id = ?', disabled ? 1 : 0, userId);
        if (disabled) {
          yield* removeSessionsOf(userId);
          yield* revokeTokensOf(userId);
        }
      });
    },
    async setRole(userId: number, role: Role): Promise<void> {
      await engine.read(run('UPDATE users SET role = ? WHERE id = ?', role, userId));
    },
    async activeAdminCount(): Promise<number> {
      return (await engine.read(get<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0")))?.n ?? 0;
    },

    async auditPage(options: { before?: number | undefined; limit: number; action?: string | undefined; userId?: number | undefined }): Promise<AuditEntry[]> {
      const action = options.action ?? null;
      const user = options.userId ?? null;
      // The casts name the parameters' types for Postgres, which cannot infer them from `? IS NULL`.
      const rows = await engine.read(
        all<AuditRow>(
          `SELECT a.id, a.at, a.user_id, u.username, a.action, a.target, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
           WHERE a.id < ? AND (CAST(? AS TEXT) IS NULL OR a.action = ? OR a.action LIKE CAST(? AS TEXT) || '.%') AND (CAST(? AS BIGINT) IS NULL OR a.user_id = ?)
           ORDER BY a.id DESC LIMIT ?`,
          options.before ?? Number.MAX_SAFE_INTEGER, action, action, action, user, user, options.limit,
        ),
      );
      return rows.map((r) => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, target: r.target, detail: parseDetail(r.detail) }));
    },
  };
}
