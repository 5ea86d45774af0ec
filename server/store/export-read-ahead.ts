import { Worker } from 'node:worker_threads';
import { typescriptWorkerEntry } from './engine/typescript-worker.ts';
import type { ExportBatch, ExportView } from './export-batch.ts';

export type ReadAheadJob = { file: string; projectId: number; after: number; batchSize: number; view: ExportView; ahead: number };
export type ReadAheadReply = { kind: 'batch'; batch: ExportBatch } | { kind: 'end' } | { kind: 'error'; message: string; code: string | undefined };
type Received = ReadAheadReply | { kind: 'failed'; error: Error };

/** Resolved once, at load (see typescriptWorkerEntry). */
const workerEntry = typescriptWorkerEntry(new URL('./export-read-ahead-worker.ts', import.meta.url));

let running = 0;
/** Read-ahead workers not yet exited: none once every export has ended, however it ended (tests check it). */
export const runningReadAheads = (): number => running;

/**
 * The export's batches after prompt id `after`, read by a worker thread on its own read-only connection with the same
 * program as the loop's (exportBatch), up to `ahead` batches before the loop takes them: on SQLite reading is a third
 * of the export's CPU, and here it runs on the second core while this thread builds and writes lines. The worker is
 * terminated when the consumer stops, early or not (an aborted download leaves nothing running); its errors are
 * thrown here, where the loop's own read would have thrown them.
 */
export async function* readAheadBatches(job: Omit<ReadAheadJob, 'ahead'>, ahead = 2): AsyncGenerator<ExportBatch> {
  const worker = new Worker(workerEntry, { workerData: { ...job, ahead } satisfies ReadAheadJob, resourceLimits: { maxOldGenerationSizeMb: 64 } });
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
        case 'batch':
          // Asked for before this batch is handed over, so the worker reads on while it is turned into lines.
          worker.postMessage('more');
          yield r.batch;
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
