import type { Db } from './db.ts';
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

/** Invites, sessions and tokens as their owners and admins manage them; the hot-path lookups stay in sessions.ts. */
export function accountsStore(db: Db) {
  const insertInvite = db.prepare<[string, Role, number | null, number | null, number, number], { id: number }>(
    'INSERT INTO invites (token_hash, role, project_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
  );
  const inviteByHash = db.prepare<[string], InviteRow>(
    'SELECT i.*, p.name AS project_name FROM invites i LEFT JOIN projects p ON p.id = i.project_id WHERE i.token_hash = ?',
  );
  const inviteById = db.prepare<[number], InviteRow>('SELECT i.*, p.name AS project_name FROM invites i LEFT JOIN projects p ON p.id = i.project_id WHERE i.id = ?');
  const pendingInvites = db.prepare<[number], InviteRow>(
    'SELECT i.*, p.name AS project_name FROM invites i LEFT JOIN projects p ON p.id = i.project_id WHERE i.used_at IS NULL AND i.expires_at > ? ORDER BY i.id DESC',
  );
  // Claiming is one conditional UPDATE, so two people racing with the same link cannot both get an account.
  const claimInvite = db.prepare<[number, number, number, number]>('UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?');
  const insertUser = db.prepare<[string, string, Role], { id: number }>('INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) RETURNING id');
  const userByName = db.prepare<[string], { id: number }>('SELECT id FROM users WHERE username = ?');
  const addMember = db.prepare<[number, number, 'lead' | 'labeler']>('INSERT OR IGNORE INTO project_members (project_id, user_id, role) VALUES (?, ?, ?)');

  const insertSession = db.prepare<[string, number, number, number, string | null, string | null]>(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, address) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const sessionsOf = db.prepare<[number, number], SessionRow>(
    'SELECT rowid AS id, token_hash, created_at, expires_at, user_agent, address FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC',
  );
  const removeSession = db.prepare<[number, number]>('DELETE FROM sessions WHERE rowid = ? AND user_id = ?');
  const removeSessionsOf = db.prepare<[number]>('DELETE FROM sessions WHERE user_id = ?');
  const removeOtherSessions = db.prepare<[number, string]>('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');

  const insertToken = db.prepare<[number, string, string], TokenRow>('INSERT INTO api_tokens (user_id, name, token_hash) VALUES (?, ?, ?) RETURNING *');
  const tokensOf = db.prepare<[number], TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id DESC');
  const revokeToken = db.prepare<[number, number]>(
    "UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
  );
  const revokeTokensOf = db.prepare<[number]>("UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE user_id = ? AND revoked_at IS NULL");

  const setPassword = db.prepare<[string, number]>('UPDATE users SET password_hash = ? WHERE id = ?');
  const setDisabled = db.prepare<[number, number]>('UPDATE users SET disabled = ? WHERE id = ?');
  const setRole = db.prepare<[Role, number]>('UPDATE users SET role = ? WHERE id = ?');
  const activeAdmins = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
  const passwordHash = db.prepare<[number], { password_hash: string }>('SELECT password_hash FROM users WHERE id = ?');

  const auditPage = db.prepare<[{ before: number; limit: number; action: string | null; user: number | null }], AuditRow>(
    `SELECT a.id, a.at, a.user_id, u.username, a.action, a.target, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
     WHERE a.id < @before AND (@action IS NULL OR a.action = @action OR a.action LIKE @action || '.%') AND (@user IS NULL OR a.user_id = @user)
     ORDER BY a.id DESC LIMIT @limit`,
  );

  const lookupInvite = (tokenHash: string, now: number): InviteLookup => {
    const row = inviteByHash.get(tokenHash);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at !== null) return { ok: false, reason: 'used' };
    if (row.expires_at <= now) return { ok: false, reason: 'expired' };
    return { ok: true, invite: toInvite(row) };
  };

  return {
    createInvite(tokenHash: string, role: Role, projectId: number | null, createdBy: number, ttlMs: number): InviteView {
      const now = Date.now();
      const id = insertInvite.get(tokenHash, role, projectId, createdBy, now, now + ttlMs)?.id;
      const row = id === undefined ? undefined : inviteById.get(id);
      if (!row) throw new Error('invite insert returned nothing');
      return toInvite(row);
    },
    lookupInvite(tokenHash: string): InviteLookup {
      return lookupInvite(tokenHash, Date.now());
    },
    pendingInvites(): InviteView[] {
      return pendingInvites.all(Date.now()).map(toInvite);
    },
    /** Creates the invited account and uses up the invite in one transaction: all or nothing. */
    acceptInvite(tokenHash: string, username: string, hash: string): AcceptOutcome {
      return db
        .transaction((): AcceptOutcome => {
          const now = Date.now();
          const found = lookupInvite(tokenHash, now);
          if (!found.ok) return found;
          if (userByName.get(username)) return { ok: false, reason: 'username_taken' };
          const userId = insertUser.get(username, hash, found.invite.role)?.id;
          if (userId === undefined) throw new Error('user insert returned nothing');
          if (claimInvite.run(now, userId, found.invite.id, now).changes !== 1) throw new Error('invite was claimed concurrently');
          if (found.invite.projectId !== null) addMember.run(found.invite.projectId, userId, found.invite.role === 'lead' ? 'lead' : 'labeler');
          return { ok: true, userId };
        })
        .immediate();
    },

    createSession(tokenHash: string, userId: number, ttlMs: number, userAgent: string | null, address: string | null): void {
      const now = Date.now();
      // Expired rows are swept at login, the only moment the table grows.
      removeExpired.run(now);
      insertSession.run(tokenHash, userId, now, now + ttlMs, userAgent?.slice(0, 300) ?? null, address);
    },
    sessionsOf(userId: number, currentHash: string | null): SessionView[] {
      return sessionsOf.all(userId, Date.now()).map((r) => ({
        id: r.id,
        createdAt: new Date(r.created_at).toISOString(),
        expiresAt: new Date(r.expires_at).toISOString(),
        userAgent: r.user_agent,
        address: r.address,
        current: r.token_hash === currentHash,
      }));
    },
    revokeSession(userId: number, sessionId: number): boolean {
      return removeSession.run(sessionId, userId).changes === 1;
    },
    revokeAllSessions(userId: number): number {
      return removeSessionsOf.run(userId).changes;
    },
    /** "Sign out everywhere": every session and every API token of the account, in one transaction. */
    signOutEverywhere(userId: number): { endedSessions: number; revokedTokens: number } {
      return db.transaction(() => ({ endedSessions: removeSessionsOf.run(userId).changes, revokedTokens: revokeTokensOf.run(userId).changes }))();
    },
    revokeAllTokens(userId: number): number {
      return revokeTokensOf.run(userId).changes;
    },
    revokeOtherSessions(userId: number, keepHash: string): number {
      return removeOtherSessions.run(userId, keepHash).changes;
    },

    createToken(userId: number, name: string, tokenHash: string): ApiTokenView {
      const row = insertToken.get(userId, name, tokenHash);
      if (!row) throw new Error('token insert returned nothing');
      return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
    },
    tokensOf(userId: number): ApiTokenView[] {
      return tokensOf.all(userId).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
    },
    revokeToken(userId: number, tokenId: number): boolean {
      return revokeToken.run(tokenId, userId).changes === 1;
    },

    passwordHash(userId: number): string | null {
      return passwordHash.get(userId)?.password_hash ?? null;
    },
    setPassword(userId: number, hash: string): void {
      setPassword.run(hash, userId);
    },
    /** Disabling also ends every session and token at once, not at their expiry. */
    setDisabled(userId: number, disabled: boolean): void {
      db.transaction(() => {
        setDisabled.run(disabled ? 1 : 0, userId);
        if (disabled) {
          removeSessionsOf.run(userId);
          revokeTokensOf.run(userId);
        }
      })();
    },
    setRole(userId: number, role: Role): void {
      setRole.run(role, userId);
    },
    activeAdminCount(): number {
      return activeAdmins.get()?.n ?? 0;
    },

    auditPage(options: { before?: number | undefined; limit: number; action?: string | undefined; userId?: number | undefined }): AuditEntry[] {
      return auditPage
        .all({ before: options.before ?? Number.MAX_SAFE_INTEGER, limit: options.limit, action: options.action ?? null, user: options.userId ?? null })
        .map((r) => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, target: r.target, detail: parseDetail(r.detail) }));
    },
  };
}
