import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { groupCommit } from '../../../server/store/group-commit.ts';

const dirs: string[] = [];
function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'podium-gc-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'x.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE)');
  return { db, file: join(dir, 'x.db') };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('group commit', () => {
  it('a failing write in a batch rolls back only itself; the others are stored and answered', async () => {
    const { db, file } = freshDb();
    const write = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.allSettled([
      write(() => insert.run('a').changes),
      write(() => {
        insert.run('b');
        insert.run('a'); // violates UNIQUE after b was written inside this write's savepoint
      }),
      write(() => insert.run('c').changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Read through another connection: what was acknowledged is committed, the failed write left nothing.
    const other = new Database(file, { readonly: true });
    expect(other.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['a', 'c']);
    other.close();
  });

  it('answers a caller only after the shared commit is durable for other connections', async () => {
    const { db, file } = freshDb();
    const write = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const other = new Database(file, { readonly: true });
    const count = other.prepare('SELECT count(*) FROM t').pluck();
    const pending = Array.from({ length: 20 }, (_, i) => write(() => insert.run(`v${i}`)));
    expect(count.get()).toBe(0);
    await Promise.all(pending);
    expect(count.get()).toBe(20);
    other.close();
  });

  it("rolls back a failed write of many pages and leaves the connection's temp_store as it found it", async () => {
    const { db, file } = freshDb();
    db.pragma('temp_store = FILE');
    const write = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    // Each write changes far more than the 64 KiB SQLite keeps of a sub-journal in memory by default.
    const big = (tag: string, i: number) => `${tag}${i}:${'x'.repeat(3000)}`;
    const results = await Promise.allSettled([
      write(() => Array.from({ length: 100 }, (_, i) => insert.run(big('a', i)))),
      write(() => {
        for (let i = 0; i < 100; i++) insert.run(big('b', i));
        insert.run(big('a', 0));
      }),
      write(() => Array.from({ length: 100 }, (_, i) => insert.run(big('c', i)))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.pragma('temp_store', { simple: true })).toBe(1);
    const other = new Database(file, { readonly: true });
    expect(other.prepare("SELECT substr(v, 1, 1) AS tag, count(*) AS n FROM t GROUP BY tag ORDER BY tag").all()).toEqual([
      { tag: 'a', n: 100 },
      { tag: 'c', n: 100 },
    ]);
    other.close();
  });
});
