import { Worker } from 'node:worker_threads';
import type { Statement } from './sql.ts';

export type OffLoopRequest = { id: number; statements: readonly Statement[] };
export type OffLoopReply = { id: number; ok: true; results: unknown[] } | { id: number; ok: false; message: string; code: string | undefined };

type Pending = { resolve: (results: unknown[]) => void; reject: (error: Error) => void };

/**
 * The worker runs TypeScript, as the rest of the server does: the process runs under tsx (`node --import tsx`,
 * the CLI's tsx, vitest), but a worker thread does not inherit module hooks, so it registers tsx's before it
 * imports its own module.
 */
function workerSource(): URL {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sqlite-off-loop-worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/**
 * One worker thread with its own connection to the database `file`, started at its first use: it runs each batch of
 * statements as one IMMEDIATE transaction while this thread goes on answering requests (WAL lets this thread's
 * connection read beside it). A write on this thread meanwhile waits for the worker's commit in SQLite's busy
 * handler, as it would behind any writer. The worker does not keep the process alive.
 */
export function offLoopWriter(file: string) {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker = null;
  };
  function started(): Worker {
    if (worker) return worker;
    const w = new Worker(workerSource(), { workerData: { file } });
    w.unref();
    w.on('message', (reply: OffLoopReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.results);
      else p.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => failAll(new Error(`the database worker exited with code ${code}`)));
    worker = w;
    return w;
  }
  return {
    run(statements: readonly Statement[]): Promise<unknown[]> {
      const w = started();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Referenced while it has work, so a CLI import is not cut short by its process exiting.
        w.ref();
        const request: OffLoopRequest = { id, statements };
        w.postMessage(request);
      }).finally(() => {
        if (pending.size === 0) worker?.unref();
      }) as Promise<unknown[]>;
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
