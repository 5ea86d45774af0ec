import { openSqliteDb, sqliteEngine, type Db } from './engine/sqlite-engine.ts';
import { postgresEngine } from './engine/postgres-engine.ts';
import { migratePostgres } from './engine/migrate.ts';
import type { Engine } from './engine/sql.ts';

export type { Db };
export { openSqliteDb as openDb };
export { migrateSqlite as migrate } from './engine/migrate.ts';

export type DatabaseTarget = { dbFile: string; databaseUrl?: string | undefined; poolSize?: number | undefined };

/** The engine the configuration names, with its schema brought up to date: Postgres when a URL is given, else the SQLite file. */
export async function openEngine(target: DatabaseTarget): Promise<Engine> {
  if (target.databaseUrl) {
    const engine = postgresEngine(target.databaseUrl, { max: target.poolSize });
    try {
      await migratePostgres(engine.pool);
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }
  return sqliteEngine(openSqliteDb(target.dbFile), target.dbFile);
}
