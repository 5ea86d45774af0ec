import { run, type Sql, type SqlValue, type Statement } from './sql.ts';

// Under both engines' bound-parameter limits (SQLite 32766, Postgres 65535).
const maxParams = 30_000;

/** Multi-row INSERT statements for `rows` (ids included), each under the bound-parameter limit. */
export function insertStatements(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Statement[] {
  const perStatement = Math.max(1, Math.floor(maxParams / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const list: Statement[] = [];
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    list.push({ kind: 'run', sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, params: chunk.flat() });
  }
  return list;
}

/** Inserts rows (ids included) in multi-row statements: seeding and copying databases, not request paths. */
export function* insertRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Sql<number> {
  let inserted = 0;
  for (const s of insertStatements(table, columns, rows)) inserted += yield* run(s.sql, ...s.params);
  return inserted;
}
