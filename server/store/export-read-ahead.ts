import { Worker } from 'node:worker_threads';
import { typescriptWorkerEntry } from './engine/typescript-worker.ts';
import type { ExportBatch, ExportView } from './export-batch.ts';
import type { ExportSettings } from '../export/export-lines.ts';
import type { ExportChunk } from '../export/stream-export.ts';

/** `jsonl`: the worker builds the file's bytes (and counts) itself instead of handing over batches of prompts. */
export type ReadAheadJob = {
  file: string;
  projectId: number;
  after: number;
  batchSize: number;
  view: ExportView;
  ahead: number;
  jsonl?: { settings: ExportSettings; repeatedContexts: ReadonlySet<string> | undefined };
};
export type ReadAheadReply = { kind: 'item'; item: ExportBatch | ExportChunk<Uint8Array> } | { kind: 'end' } | { kind: 'error'; message: string; code: string | undefined };
type Received = ReadAheadReply | { kind: 'failed'; error: Error };

/** Resolved once, at load (see typescriptWorkerEntry). */
const workerEntry = typescriptWorkerEntry(new URL('./export-read-ahead-worker.ts', import.meta.url));

let running = 0;
/** Read-ahead workers not yet exited: none once every export has ended, however it ended (tests check it). */
export const runningReadAheads = (): number => running;

/**
 * What the worker hands over, in order, up to `job.ahead` items before the loop takes them. The worker is terminated
 * when the consumer stops, early or not (an aborted download leaves nothing running); its errors are thrown here,
 * where the loop's own read would have thrown them.
 */
async function* readAhead(job: ReadAheadJob): AsyncGenerator<ExportBatch | ExportChunk<Uint8Array>> {
  const worker = new Worker(workerEntry, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  running++;
  const received: Received[] = [];
  let wake: (() => void) | null = null;
  const receive = (r: Received): void => {
    received.push(r);
    wake?.();
    wake = null;
  };
  worker.on('message', receive);
  worker.on('error', (error) => receive({ kind: 'failed', error }));
  worker.on('exit', (code) => {
    running--;
    receive({ kind: 'failed', error: new Error(`the export reader exited with code ${code}`) });
  });
  try {
    for (;;) {
      let r = received.shift();
      while (!r) {
        await new Promise<void>((resolve) => (wake = resolve));
        r = received.shift();
      }
      switch (r.kind) {
        case 'item':
          // Asked for before this item is handed over, so the worker reads on while it is used.
          worker.postMessage('more');
          yield r.item;
          break;
        case 'end':
          return;
        case 'error':
          throw Object.assign(new Error(r.message), { code: r.code });
        case 'failed':
          throw r.error;
      }
    }
  } finally {
    await worker.terminate();
  }
}

type BatchJob = Omit<ReadAheadJob, 'ahead' | 'jsonl'>;

/**
 * The export's batches after prompt id `after`, read by a worker thread on its own read-only connection with the same
 * program as the loop's (exportBatch), up to `ahead` batches before the loop takes them: on SQLite reading is a third
 * of the export's CPU, and here it runs on the second core while this thread uses them (the summary's counts).
 */
export async function* readAheadBatches(job: BatchJob, ahead = 2): AsyncGenerator<ExportBatch> {
  for await (const item of readAhead({ ...job, ahead })) if ('last' in item) yield item;
}

/**
 * The export file after prompt id `after`, built on the worker: read, pairs, lines and UTF-8 bytes, handed over in
 * pieces of about a megabyte whose buffers are transferred. The loop only writes them; a structured clone of each
 * batch's prompts cost more CPU than the reading it moved (decision 030).
 */
export async function* readAheadJsonl(job: BatchJob, jsonl: NonNullable<ReadAheadJob['jsonl']>, ahead = 3): AsyncGenerator<ExportChunk<Uint8Array>> {
  for await (const item of readAhead({ ...job, ahead, jsonl })) if ('text' in item) yield item;
}
