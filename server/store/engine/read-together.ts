import type { Db } from './sqlite-engine.ts';
import type { Sql } from './sql.ts';

type Queued = { program: Sql<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Reads queued in one turn of the event loop, run in one read transaction at its end. On SQLite in WAL mode an
 * autocommit read's own transaction (the database and shared-memory locks taken and released) costs about as much
 * as the access check's read itself, and a loaded server parses dozens of requests per turn (docs/decisions/039).
 * Each read still starts after its request arrived, so it sees every write committed before, by any process.
 */
export function readTogether(db: Db, runSync: <T>(program: Sql<T>) => T): <T>(program: Sql<T>) => Promise<T> {
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  let queue: Queued[] = [];
  function runEach(list: Queued[]): void {
    for (const q of list) {
      try {
        q.resolve(runSync(q.program));
      } catch (error) {
        q.reject(error);
      }
    }
  }
  function flush(): void {
    const list = queue;
    queue = [];
    // One read, or a transaction already open: nothing to share.
    if (list.length === 1 || db.inTransaction) return runEach(list);
    try {
      begin.run();
    } catch {
      return runEach(list);
    }
    try {
      runEach(list);
    } finally {
      // Every answer is already given; a read transaction's COMMIT only lets go of its snapshot.
      if (db.inTransaction) commit.run();
    }
  }
  return <T>(program: Sql<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ program, resolve: resolve as (value: unknown) => void, reject });
      if (queue.length === 1) setImmediate(flush);
    });
}
