import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readTogether } from '../../../server/store/engine/read-together.ts';
import { runProgram, statementRunner } from '../../../server/store/engine/sqlite-engine.ts';
import { get, type Sql } from '../../../server/store/engine/sql.ts';

const dirs: string[] = [];
function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'podium-rt-'));
  dirs.push(dir);
  const file = join(dir, 'x.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('a', '1'), ('b', '2')");
  const execute = statementRunner(db);
  const read = readTogether(db, <T>(program: Sql<T>) => runProgram(execute, program));
  return { db, file, read };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const value = (k: string) => get<{ v: string }>('SELECT v FROM t WHERE k = ?', k);

describe('reads together', () => {
  it('answers each read of a turn, a failing one only itself, and leaves no transaction open', async () => {
    const { db, read } = freshDb();
    const results = await Promise.allSettled([read(value('a')), read(get('SELECT nope FROM t')), read(value('b')), read(value('c'))]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([{ v: '1' }, 'rejected', { v: '2' }, undefined]);
    expect(db.inTransaction).toBe(false);
  });

  it('a read sees what another connection committed before it was asked for', async () => {
    const { file, read } = freshDb();
    expect(await read(value('a'))).toEqual({ v: '1' });
    const other = new Database(file);
    other.prepare("UPDATE t SET v = 'changed' WHERE k = 'a'").run();
    other.close();
    const [a, b] = await Promise.all([read(value('a')), read(value('b'))]);
    expect(a).toEqual({ v: 'changed' });
    expect(b).toEqual({ v: '2' });
  });
});
