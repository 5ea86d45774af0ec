import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens the database with the pragmas every connection needs, then brings its schema up to date. */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL for acknowledged transactions against process crashes (kill -9);
  // only an OS crash or power loss can drop the last commits, which FULL would cost on every submit.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: hot pages (the pool index, the newest assignments) are
  // rewritten by every submit, and copying them back less often writes each of them once per checkpoint.
  db.pragma('wal_autocheckpoint = 10000');
  migrate(db);
  return db;
}

/** Applies migrations/NNN-*.sql in order, each in its own transaction, tracked by PRAGMA user_version. */
export function migrate(db: Db): void {
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{3}-.+\.sql$/.test(f))
    .sort();
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (version <= current) continue;
    const sql = readFileSync(join(migrationsDir, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
