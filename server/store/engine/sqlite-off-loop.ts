import { Worker } from 'node:worker_threads';
import type { SqlValue, Statement } from './sql.ts';
import { typescriptWorkerEntry } from './typescript-worker.ts';

/**
 * A parameter on its way to the worker. A long text travels as UTF-8 bytes whose buffer is transferred: cloning a
 * 20 MB string for postMessage held this thread for most of a second, encoding it takes a fraction of that.
 */
type WireValue = SqlValue | { utf8: Uint8Array };
type WireStatement = { kind: Statement['kind']; sql: string; params: WireValue[] };
const transferredFrom = 64 * 1024;
const encoder = new TextEncoder();

function toWire(statements: readonly Statement[], transfer: ArrayBuffer[]): WireStatement[] {
  return statements.map((s) => ({
    ...s,
    params: s.params.map((p) => {
      if (typeof p !== 'string' || p.length < transferredFrom) return p;
      const utf8 = encoder.encode(p);
      transfer.push(utf8.buffer as ArrayBuffer);
      return { utf8 };
    }),
  }));
}

/** The worker's side of `toWire`. */
export function fromWire(statements: readonly WireStatement[]): Statement[] {
  return statements.map((s) => ({ ...s, params: s.params.map((p) => (p !== null && typeof p === 'object' ? Buffer.from(p.utf8.buffer, p.utf8.byteOffset, p.utf8.byteLength).toString('utf8') : p)) }));
}

export type OffLoopRequest = { id: number; statements: WireStatement[] };
export type OffLoopReply = { id: number; ok: true; results: unknown[] } | { id: number; ok: false; message: string; code: string | undefined };

type Pending = { resolve: (results: unknown[]) => void; reject: (error: Error) => void };

/** Resolved once, at load (see typescriptWorkerEntry). */
const workerSource = typescriptWorkerEntry(new URL('./sqlite-off-loop-worker.ts', import.meta.url));

/**
 * One worker thread with its own connection to the database `file`, started at its first use: it runs each batch of
 * statements as one IMMEDIATE transaction while this thread goes on answering requests (WAL lets this thread's
 * connection read beside it). The worker does not keep the process alive. `idle` is for this thread's writers:
 * awaited before a write, it keeps the write out of SQLite's busy handler, which would wait for the worker's commit
 * synchronously (holding the event loop) and give up with SQLITE_BUSY after busy_timeout.
 */
export function offLoopWriter(file: string) {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let settled: { promise: Promise<void>; resolve: () => void } | null = null;
  const noteIdle = () => {
    if (pending.size > 0 || !settled) return;
    settled.resolve();
    settled = null;
  };
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker = null;
    noteIdle();
  };
  function started(): Worker {
    if (worker) return worker;
    const w = new Worker(workerSource, { workerData: { file } });
    w.unref();
    w.on('message', (reply: OffLoopReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.results);
      else p.reject(Object.assign(new Error(reply.message), { code: reply.code }));
      noteIdle();
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
        const transfer: ArrayBuffer[] = [];
        const request: OffLoopRequest = { id, statements: toWire(statements, transfer) };
        w.postMessage(request, transfer);
      }).finally(() => {
        if (pending.size === 0) worker?.unref();
      }) as Promise<unknown[]>;
    },
    /** Resolves once no transaction is left on the worker; null when none is (the common case costs no await). */
    idle(): Promise<void> | null {
      if (pending.size === 0) return null;
      if (!settled) {
        let resolve = () => {};
        const promise = new Promise<void>((r) => (resolve = r));
        settled = { promise, resolve };
      }
      return settled.promise;
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
