import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDb, sqliteEngine, type SqliteEngine } from '../../../server/store/engine/sqlite-engine.ts';
import { run } from '../../../server/store/engine/sql.ts';

// One engine for the file: its worker thread starts once (registering tsx there takes a while on a loaded machine).
let engine: SqliteEngine;
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'podium-off-loop-'));
  const file = join(dir, 'x.db');
  engine = sqliteEngine(openSqliteDb(file), file);
});
beforeEach(() => {
  engine.db.exec('DROP TABLE IF EXISTS small; CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Long enough that a write on the loop's connection would meet the worker's lock.
const longInsert = { kind: 'run' as const, sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) INSERT INTO small (v) SELECT 'worker' FROM n", params: [] };

describe('SQLite transactions off the event loop (decision 023)', () => {
  it('run on the worker while the loop turns, and writes from the loop wait for them without blocking it', async () => {
    const events: string[] = [];
    const worker = engine.transactionOffLoop([longInsert]).then((results) => {
      events.push('worker committed');
      return results;
    });
    // Both kinds of write from the loop, while the worker holds the write lock
    const written = Promise.all([
      engine.transaction(() => run("INSERT INTO small (v) VALUES ('transaction')")).then(() => events.push('transaction')),
      engine.batched(() => run("INSERT INTO small (v) VALUES ('batched')")).then(() => events.push('batched')),
      engine.run("INSERT INTO small (v) VALUES ('run')").then(() => events.push('run')),
    ]);
    await new Promise((r) => setImmediate(r));
    events.push('the loop turned');
    expect(await worker).toEqual([300_000]);
    await written;
    // the loop was free while the worker wrote, and every write from it committed after the worker's
    expect(events[0]).toBe('the loop turned');
    expect(events.slice(1).sort()).toEqual(['batched', 'run', 'transaction', 'worker committed']);
    const ids = await engine.get<{ lastWorker: number; firstLoop: number; loop: number }>(
      "SELECT (SELECT max(id) FROM small WHERE v = 'worker') AS lastWorker, (SELECT min(id) FROM small WHERE v <> 'worker') AS firstLoop, (SELECT count(*) FROM small WHERE v <> 'worker') AS loop",
    );
    expect(ids?.loop).toBe(3);
    expect(ids?.firstLoop).toBeGreaterThan(ids?.lastWorker ?? Infinity);
  });

  it('roll back whole on an error and report it with its SQLite code', async () => {
    const failed = engine.transactionOffLoop([{ kind: 'run', sql: "INSERT INTO small (v) VALUES ('kept?')", params: [] }, { kind: 'run', sql: 'INSERT INTO small (v) VALUES (NULL)', params: [] }]);
    await expect(failed).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect(await engine.get<{ n: number }>('SELECT count(*) AS n FROM small')).toEqual({ n: 0 });
  });

  it('carry long texts whole, in any script', async () => {
    const text = `${'naïve 😀 '.repeat(50_000)}end`;
    await engine.transactionOffLoop([{ kind: 'run', sql: 'INSERT INTO small (v) VALUES (?)', params: [text] }]);
    expect((await engine.get<{ v: string }>('SELECT v FROM small'))?.v).toBe(text);
  });
});
