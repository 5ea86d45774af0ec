import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDb, sqliteEngine } from '../../../server/store/engine/sqlite-engine.ts';
import { write } from '../../../server/store/engine/sql.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The WAL header's first salt: SQLite changes it each time a writer starts the WAL over from its beginning. */
function walSalt(file: string): number | null {
  if (!existsSync(file) || statSync(file).size < 32) return null;
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(32);
  readSync(fd, header, 0, 32, 0);
  closeSync(fd);
  return header.readUInt32BE(16);
}

describe('WAL checkpoints under steady group-commit writes', () => {
  it('start the WAL over again and again, so its file stays small while ever more is written, and lose no write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-wal-'));
    dirs.push(dir);
    const file = join(dir, 'x.db');
    const engine = sqliteEngine(openSqliteDb(file), 'test');
    await engine.run('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const body = 'x'.repeat(1500);
    const salts = new Set<number>();
    let written = 0;
    // 16 MB of rows, a page each at least: left to wal_autocheckpoint (10,000 pages, ~40 MB) the WAL would hold them all.
    while (written * body.length < 16e6) {
      await Promise.all(Array.from({ length: 50 }, () => engine.batched(() => write('INSERT INTO t (body) VALUES (?)', body))));
      written += 50;
      const salt = walSalt(`${file}-wal`);
      if (salt !== null) salts.add(salt);
      await sleep(10);
    }
    expect(salts.size).toBeGreaterThanOrEqual(3);
    // Kept, the 16 MB of rows alone would make the WAL bigger than 16 MB.
    expect(statSync(`${file}-wal`).size).toBeLessThan(12e6);
    await engine.close();

    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: written });
    reopened.close();
  });
});
