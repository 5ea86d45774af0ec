import type Database from 'better-sqlite3';
import type pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// One numbered file per schema change and engine: migrations/NNN-name.sql for SQLite and
// migrations/postgres/NNN-name.sql for Postgres, the same numbers in both (a unit test checks).
const sqliteDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const postgresDir = join(sqliteDir, 'postgres');

export type Migration = { version: number; name: string; sql: string };

export function migrationsIn(dir: 'sqlite' | 'postgres'): Migration[] {
  const folder = dir === 'sqlite' ? sqliteDir : postgresDir;
  return readdirSync(folder)
    .filter((f) => /^\d{3}-.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(folder, f), 'utf8') }));
}

/**
 * Applies the pending SQLite migrations in order, each in its own transaction, tracked by PRAGMA user_version;
 * `through` stops after that version (a migration's test builds the database it starts from).
 */
export function migrateSqlite(db: Database.Database, through = Number.POSITIVE_INFINITY): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrationsIn('sqlite')) {
    if (m.version <= current || m.version > through) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

// Any constant shared by every Podium server: the key of the advisory lock that migrations run under.
const migrationLock = 7_311_505;

/**
 * Applies the pending Postgres migrations, tracked in schema_migrations, in one transaction under an
 * advisory lock: two servers starting at once do not both apply them, the second waits and finds them done.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrationsIn('postgres')) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
