import { run, type Sql, type SqlValue } from './sql.ts';

// Under both engines' bound-parameter limits (SQLite 32766, Postgres 65535).
const maxParams = 30_000;

/** Inserts rows (ids included) in multi-row statements: seeding and copying databases, and staging an import's lines. */
export function* insertRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Sql<number> {
  const perStatement = Math.max(1, Math.floor(maxParams / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let inserted = 0;
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    inserted += yield* run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, ...chunk.flat());
  }
  return inserted;
}
