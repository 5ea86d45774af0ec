import { join } from 'node:path';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../server/store/db.ts';
import { scratchDatabase } from '../../bench/support/scratch-postgres.ts';

/** Which engine this test run uses: the `postgres` project of vitest.config.ts sets PODIUM_TEST_ENGINE. */
export const testEngine: 'sqlite' | 'postgres' = process.env.PODIUM_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export type TestDatabase = {
  target: DatabaseTarget;
  /** The same database for a child process (server, CLI), as its environment. */
  env: Record<string, string>;
  drop: () => Promise<void>;
};

/** A fresh, empty database of the run's engine: a SQLite file in `dir`, or a new database on the throwaway cluster. */
export async function freshDatabase(dir: string): Promise<TestDatabase> {
  const dbFile = join(dir, 'podium.db');
  if (testEngine === 'sqlite') return { target: { dbFile }, env: { PODIUM_DB: dbFile, PODIUM_DATABASE_URL: '' }, drop: async () => {} };
  const db = await scratchDatabase(inject('postgresUrl'), 'podium_test');
  return { target: { dbFile, databaseUrl: db.url }, env: { PODIUM_DB: dbFile, PODIUM_DATABASE_URL: db.url }, drop: db.drop };
}
