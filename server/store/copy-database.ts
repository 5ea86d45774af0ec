import type { Db } from './engine/sqlite-engine.ts';
import { get, type Engine, type Sql, type SqlValue } from './engine/sql.ts';
import { insertRows } from './engine/bulk-insert.ts';

type Table = { name: string; columns: string[] };

/** The SQLite file's tables, parents before children (by their foreign keys), so inserts never point at a missing row. */
function tablesInOrder(db: Db): Table[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const parents = new Map(names.map((n) => [n, (db.pragma(`foreign_key_list(${n})`) as { table: string }[]).map((f) => f.table).filter((t) => t !== n)]));
  const ordered: string[] = [];
  const visit = (n: string, path: Set<string>) => {
    if (ordered.includes(n) || path.has(n)) return;
    path.add(n);
    for (const p of parents.get(n) ?? []) visit(p, path);
    ordered.push(n);
  };
  for (const n of names) visit(n, new Set());
  return ordered.map((name) => ({ name, columns: (db.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name) }));
}

export type CopyOutcome = { ok: true; rows: Record<string, number> } | { ok: false; message: string };

/**
 * Copies every row of a SQLite database into an empty Podium database on Postgres (already migrated), ids
 * included, in one transaction: a failure leaves the target empty. Sequences then continue after the largest id.
 */
export async function copySqliteToPostgres(source: Db, target: Engine): Promise<CopyOutcome> {
  const tables = tablesInOrder(source);
  for (const t of tables) {
    const n = (await target.read(get<{ n: number }>(`SELECT count(*) AS n FROM ${t.name}`)))?.n ?? 0;
    if (n > 0) return { ok: false, message: `the target database is not empty (${t.name} has ${n} row${n === 1 ? '' : 's'}); copy-db only fills an empty one` };
  }
  // Postgres keeps SQLite's implicit rowid of a table as a real column where Podium reads it (sessions).
  const rowidTables = new Set(
    (await target.all<{ table_name: string }>("SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'rowid'")).map((r) => r.table_name),
  );
  const rows = await target.transaction(function* (): Sql<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const columns = rowidTables.has(t.name) && !t.columns.includes('rowid') ? ['rowid', ...t.columns] : t.columns;
      const read = source.prepare(`SELECT ${columns.join(', ')} FROM ${t.name}`).raw(true);
      let batch: SqlValue[][] = [];
      let copied = 0;
      for (const row of read.iterate() as Iterable<SqlValue[]>) {
        batch.push(row);
        if (batch.length === 2000) {
          copied += yield* insertRows(t.name, columns, batch);
          batch = [];
        }
      }
      if (batch.length) copied += yield* insertRows(t.name, columns, batch);
      counts[t.name] = copied;
    }
    return counts;
  });
  await target.resetSequences();
  return { ok: true, rows };
}
