import { closeSync, openSync } from 'node:fs';
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

/** `checkpoint`: a PASSIVE WAL checkpoint instead of a transaction (wal-checkpoints.ts). */
export type OffLoopRequest = { id: number; statements: WireStatement[]; checkpoint?: true };
export type OffLoopReply = { id: number; ok: true; results: unknown[] } | { id: number; ok: false; message: string; code: string | undefined };

/** A row of `PRAGMA wal_checkpoint`: frames in the WAL and frames copied back into the database. */
export type CheckpointResult = { busy: number; log: number; checkpointed: number };

/** `gates`: this thread's writers wait for it (`idle`); a checkpoint pass beside them does not. */
type Pending = { resolve: (results: unknown[]) => void; reject: (error: Error) => void; gates: boolean };

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
  let gating = 0;
  let dbFile: number | null = null;
  let settled: { promise: Promise<void>; resolve: () => void } | null = null;
  const noteIdle = () => {
    if (gating > 0 || !settled) return;
    settled.resolve();
    settled = null;
  };
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    gating = 0;
    worker = null;
    noteIdle();
  };
  function started(): Worker {
    if (worker) return worker;
    // The worker fsyncs the database file after a checkpoint pass (see the worker). It is opened here, not there,
    // because closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's included:
    // it is closed only in close(), when the worker is gone and its owner closes the database next.
    dbFile ??= openSync(file, 'r');
    const w = new Worker(workerSource, { workerData: { file, fd: dbFile } });
    w.unref();
    w.on('message', (reply: OffLoopReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (p.gates) gating--;
      if (reply.ok) p.resolve(reply.results);
      else p.reject(Object.assign(new Error(reply.message), { code: reply.code }));
      noteIdle();
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => failAll(new Error(`the database worker exited with code ${code}`)));
    worker = w;
    return w;
  }
  function send(request: OffLoopRequest, transfer: ArrayBuffer[], gates: boolean): Promise<unknown[]> {
    const w = started();
    return new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject, gates });
      if (gates) gating++;
      // Referenced while it has work, so a CLI import is not cut short by its process exiting.
      w.ref();
      w.postMessage(request, transfer);
    }).finally(() => {
      if (pending.size === 0) worker?.unref();
    }) as Promise<unknown[]>;
  }
  return {
    run(statements: readonly Statement[]): Promise<unknown[]> {
      const transfer: ArrayBuffer[] = [];
      return send({ id: nextId++, statements: toWire(statements, transfer) }, transfer, true);
    },
    /**
     * A PASSIVE checkpoint on the worker's connection. `alone`: this thread's writers wait for it as for a
     * transaction (without holding the loop), so the pass can reach the end of the WAL.
     */
    checkpoint(alone: boolean): Promise<CheckpointResult> {
      return send({ id: nextId++, statements: [], checkpoint: true }, [], alone).then((rows) => (rows[0] as CheckpointResult[])[0] ?? { busy: 1, log: -1, checkpointed: -1 });
    },
    /** Resolves once no transaction is left on the worker; null when none is (the common case costs no await). */
    idle(): Promise<void> | null {
      if (gating === 0) return null;
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
      if (dbFile !== null) closeSync(dbFile);
      dbFile = null;
    },
  };
}
