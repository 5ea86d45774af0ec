import { all, get, type Engine, type Sql } from './engine/sql.ts';
import type { Role, User } from '../../shared/users.ts';

type UserRow = { id: number; username: string; role: Role; disabled: number; created_at: string; password_hash: string };

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at });

export type AuthUser = User & { passwordHash: string };

export const userByName = (username: string): Sql<UserRow | undefined> => get<UserRow>('SELECT * FROM users WHERE username = ?', username);

export function usersStore(engine: Engine) {
  return {
    create(username: string, passwordHash: string, role: Role): Promise<User | null> {
      return engine.transaction(function* () {
        if (yield* userByName(username)) return null;
        const row = yield* get<UserRow>('INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) RETURNING *', username, passwordHash, role);
        return row ? toUser(row) : null;
      });
    },
    async byUsername(username: string): Promise<AuthUser | null> {
      const row = await engine.read(userByName(username));
      return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
    },
    async byId(id: number): Promise<User | null> {
      const row = await engine.read(get<UserRow>('SELECT * FROM users WHERE id = ?', id));
      return row ? toUser(row) : null;
    },
    async list(): Promise<User[]> {
      return (await engine.read(all<UserRow>('SELECT * FROM users ORDER BY id'))).map(toUser);
    },
    async count(): Promise<number> {
      return (await engine.read(get<{ n: number }>('SELECT count(*) AS n FROM users')))?.n ?? 0;
    },
  };
}
