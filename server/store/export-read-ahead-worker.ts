import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { runProgram, statementRunner } from './engine/sqlite-engine.ts';
import type { Statement } from './engine/sql.ts';
import { exportBatch } from './export-batch.ts';
import type { ReadAheadJob, ReadAheadReply } from './export-read-ahead.ts';

// The worker side of export-read-ahead.ts: its own read-only connection, the same batch program as the loop's, and at
// most `ahead` batches handed over that the loop has not asked for again ('more').
const job = workerData as ReadAheadJob;
const port = parentPort;
if (!port) throw new Error('export-read-ahead-worker runs as a worker thread');
let db: Database.Database | null = null;
let execute: ((s: Statement) => unknown) | null = null;
/** Opened at the first read, so that a database it cannot open fails as a read does (an error reply). */
function opened(): (s: Statement) => unknown {
  db = new Database(job.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return statementRunner(db);
}
let credit = job.ahead;
let after = job.after;
let done = false;

function next(): ReadAheadReply {
  try {
    execute ??= opened();
    const batch = runProgram(execute, exportBatch(job.projectId, after, job.batchSize, job.view));
    if (!batch) return { kind: 'end' };
    after = batch.last;
    return { kind: 'batch', batch };
  } catch (error) {
    const e = error as { message?: string; code?: unknown };
    return { kind: 'error', message: e.message ?? String(error), code: typeof e.code === 'string' ? e.code : undefined };
  }
}

function pump(): void {
  while (credit > 0 && !done) {
    const reply = next();
    done = reply.kind !== 'batch';
    if (done) db?.close();
    port?.postMessage(reply);
    credit--;
  }
}

port.on('message', () => {
  credit++;
  pump();
});
pump();
