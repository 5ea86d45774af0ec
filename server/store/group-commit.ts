import type { Db } from './db.ts';

type Pending = { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Group commit: writes that arrive in the same turn of the event loop run in one immediate
 * transaction, each inside its own savepoint, and every caller is answered after that one commit.
 * Hot pages (the pool index, the newest assignments and rankings) then reach the WAL once per batch
 * instead of once per request; an error in one write rolls back only its savepoint.
 */
export function groupCommit(db: Db, notNow: () => Promise<void> | null = () => null, committed: (writes: number) => void = () => {}) {
  let queue: Pending[] = [];
  const savepoint = db.prepare('SAVEPOINT group_write');
  const release = db.prepare('RELEASE group_write');
  const rollback = db.prepare('ROLLBACK TO group_write');
  // Each savepoint (and each statement that may abort) keeps the pages it changes in a sub-journal, so ROLLBACK TO
  // can restore them. SQLite holds that journal in memory only up to 64 KiB and then moves it to a temporary file,
  // which a batch passes within its first write or two: every later page became two pwrite calls (about a sixth of
  // a submit's CPU). SQLite decides where the sub-journal lives when the write transaction begins, so the batch's
  // transaction begins with temporary storage in memory; the connection's setting comes back after the commit,
  // so large sorts elsewhere (exports) still spill to disk rather than grow the heap.
  // A pragma takes effect when it is prepared, not when a prepared one runs again, hence exec (about 2 µs a batch).
  const tempStore = Number(db.pragma('temp_store', { simple: true }));
  const tempInMemory = () => db.exec('PRAGMA temp_store = MEMORY');
  const tempAsBefore = () => db.exec(`PRAGMA temp_store = ${tempStore}`);

  function flush(): void {
    // Another connection of this process holds the write lock (sqlite-off-loop.ts): commit once it lets go, rather
    // than wait for it in SQLite's busy handler, which would hold the event loop.
    const wait = notNow();
    if (wait) {
      void wait.then(flush);
      return;
    }
    const batch = queue;
    queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    tempInMemory();
    try {
      db.transaction(() => {
        for (const item of batch) {
          savepoint.run();
          try {
            outcomes.push({ ok: true, value: item.run() });
            release.run();
          } catch (error) {
            rollback.run();
            release.run();
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      // The commit itself failed: nothing of this batch is stored, so nobody may be told otherwise.
      for (const item of batch) item.reject(error);
      return;
    } finally {
      tempAsBefore();
    }
    committed(batch.length);
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  return function write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (queue.length === 1) setImmediate(flush);
    });
  };
}
