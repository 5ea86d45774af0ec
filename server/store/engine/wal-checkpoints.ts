import type { CheckpointResult } from './sqlite-off-loop.ts';

type Checkpointer = { checkpoint(alone: boolean): Promise<CheckpointResult> };

/**
 * Keeps SQLite's WAL checkpoints off the event loop (decision 031). Left to `wal_autocheckpoint`, the checkpoint runs
 * in the commit that crosses the limit, inside a group-commit flush: copying ~10,000 frames back and two fsyncs held
 * the loop and all its connections for ~65 ms every few seconds. Instead, once enough writes have been committed,
 * the off-loop worker checkpoints in two passes:
 * 1. beside the loop's writers: copies nearly everything, fsyncing the WAL first. Under steady commits this pass never
 *    reaches the WAL's end, and SQLite fsyncs the database file (and lets the next writer start the WAL over) only
 *    when a pass does;
 * 2. alone: the loop's writers wait for it as for a worker transaction (queued, the loop keeps serving), so it reaches
 *    the end, copies the few frames written during pass 1 and fsyncs the database file; the next commit restarts the
 *    WAL from its beginning, which keeps the file's size bounded.
 * `wal_autocheckpoint` stays on the loop's connection as the bound for when this cannot keep up (a long reader, a
 * dead worker, writes that bypass group commit in bulk).
 */
export function walCheckpoints(worker: Checkpointer, every = { writes: 200, ms: 250, frames: 2500 }) {
  let writes = 0;
  let running = false;
  let next = 0;
  return function committed(count: number): void {
    writes += count;
    const now = Date.now();
    if (running || writes < every.writes || now < next) return;
    running = true;
    writes = 0;
    // A pass that fails (the worker gone, the database closed under it) leaves the WAL to wal_autocheckpoint, which
    // still bounds it: nothing a caller waits for depends on a checkpoint.
    void worker
      .checkpoint(false)
      .then(() => worker.checkpoint(true))
      .then(
        // A WAL that filled this much since the last cycle is checkpointed again at once, to stay under the bound.
        (done) => (next = done.log > every.frames ? 0 : Date.now() + every.ms),
        () => (next = Date.now() + every.ms),
      )
      .finally(() => {
        running = false;
      });
  };
}
