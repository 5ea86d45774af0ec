import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { runProgram, statementRunner } from './engine/sqlite-engine.ts';
import type { Statement } from './engine/sql.ts';
import { exportBatch, type ExportBatch } from './export-batch.ts';
import type { ReadAheadJob, ReadAheadReply } from './export-read-ahead.ts';
import { exportChunker, type ExportChunk } from '../export/stream-export.ts';
import { chunkBytes } from '../export/chunk-bytes.ts';

// The worker side of export-read-ahead.ts: its own read-only connection, the same batch program as the loop's, and at
// most `ahead` items handed over that the loop has not asked for again ('more'). An item is a batch of prompts or,
// for a file (job.jsonl), a piece of the file's bytes built by the same chunker as the loop's.
const job = workerData as ReadAheadJob;
const port = parentPort;
if (!port) throw new Error('export-read-ahead-worker runs as a worker thread');
let db: Database.Database | null = null;
/** Opened at the first read, so that a database it cannot open fails as a read does (an error reply). */
function opened(): (s: Statement) => unknown {
  db = new Database(job.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return statementRunner(db);
}

function* batches(): Generator<ExportBatch> {
  const execute = opened();
  for (let after = job.after; ; ) {
    const batch = runProgram(execute, exportBatch(job.projectId, after, job.batchSize, job.view));
    if (!batch) return;
    after = batch.last;
    yield batch;
  }
}

function* chunks(jsonl: NonNullable<ReadAheadJob['jsonl']>): Generator<ExportChunk<string>> {
  const chunker = exportChunker(jsonl.settings, jsonl.repeatedContexts);
  for (const batch of batches()) for (const prompt of batch.prompts) if (chunker.add(prompt)) yield chunker.take();
  yield chunker.take();
}

const items: Iterator<ExportBatch | ExportChunk<Uint8Array>> = job.jsonl ? chunkBytes(chunks(job.jsonl)) : batches();
let credit = job.ahead;
let done = false;

function next(): ReadAheadReply {
  try {
    const step = items.next();
    return step.done ? { kind: 'end' } : { kind: 'item', item: step.value };
  } catch (error) {
    const e = error as { message?: string; code?: unknown };
    return { kind: 'error', message: e.message ?? String(error), code: typeof e.code === 'string' ? e.code : undefined };
  }
}

function pump(): void {
  while (credit > 0 && !done) {
    const reply = next();
    done = reply.kind !== 'item';
    if (done) db?.close();
    // A piece's bytes are transferred, not copied: the buffer is the piece's own (chunkBytes).
    const bytes = reply.kind === 'item' && 'text' in reply.item ? [reply.item.text.buffer as ArrayBuffer] : [];
    port?.postMessage(reply, bytes);
    credit--;
  }
}

port.on('message', () => {
  credit++;
  pump();
});
pump();
