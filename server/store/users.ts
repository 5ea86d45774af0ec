import type { Db } from './db.ts';
import type { Role, User } from '../../shared/users.ts';

type UserRow = { id: number; username: string; role: Role; disabled: number; created_at: string; password_hash: string };

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at });

export type AuthUser = User & { passwordHash: string };

export function usersStore(db: Db) {
  const insert = db.prepare<[string, string, Role], UserRow>('INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) RETURNING *');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const all = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY id');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  return {
    create(username: string, passwordHash: string, role: Role): User | null {
      if (byName.get(username)) return null;
      const row = insert.get(username, passwordHash, role);
      return row ? toUser(row) : null;
    },
    byUsername(username: string): AuthUser | null {
      const row = byName.get(username);
      return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
    },
    byId(id: number): User | null {
      const row = byId.get(id);
      return row ? toUser(row) : null;
    },
    list(): User[] {
      return all.all().map(toUser);
    },
    count(): number {
      return count.get()?.n ?? 0;
    },
  };
}
