import { fdatasyncSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDb, statementRunner } from './sqlite-engine.ts';
import { fromWire, type OffLoopReply, type OffLoopRequest } from './sqlite-off-loop.ts';

// The worker side of sqlite-off-loop.ts: its own connection, the same pragmas, one transaction per request.
const { file, fd } = workerData as { file: string; fd: number };
const db = openSqliteDb(file);
const execute = statementRunner(db);
const port = parentPort;
if (!port) throw new Error('sqlite-off-loop-worker runs as a worker thread');

/**
 * One PASSIVE pass: never waits for a lock, so it copies what it can beside the loop's writers (wal-checkpoints.ts).
 * SQLite fsyncs the database file only when a pass reaches the WAL's end; a pass that did not leaves the pages it
 * copied dirty for the pass that does, which runs while the loop's writers wait. Syncing them here, beside those
 * writers, leaves that pass little to flush. Whether the WAL can be restarted still rests on SQLite's own sync.
 */
function checkpoint(): unknown[] {
  const rows = db.pragma('wal_checkpoint(PASSIVE)', { simple: false }) as { log: number; checkpointed: number }[];
  const row = rows[0];
  if (row && row.checkpointed > 0 && row.checkpointed < row.log) fdatasyncSync(fd);
  return [rows];
}

port.on('message', (request: OffLoopRequest) => {
  let reply: OffLoopReply;
  try {
    const results = request.checkpoint ? checkpoint() : db.transaction(() => fromWire(request.statements).map(execute)).immediate();
    reply = { id: request.id, ok: true, results };
  } catch (error) {
    const e = error as { message?: string; code?: unknown };
    reply = { id: request.id, ok: false, message: e.message ?? String(error), code: typeof e.code === 'string' ? e.code : undefined };
  }
  port.postMessage(reply);
});
