import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDb, statementRunner } from './sqlite-engine.ts';
import { fromWire, type OffLoopReply, type OffLoopRequest } from './sqlite-off-loop.ts';

// The worker side of sqlite-off-loop.ts: its own connection, the same pragmas, one transaction per request.
const db = openSqliteDb((workerData as { file: string }).file);
const execute = statementRunner(db);
const port = parentPort;
if (!port) throw new Error('sqlite-off-loop-worker runs as a worker thread');
port.on('message', (request: OffLoopRequest) => {
  let reply: OffLoopReply;
  try {
    const statements = fromWire(request.statements);
    const results = db.transaction(() => statements.map(execute)).immediate();
    reply = { id: request.id, ok: true, results };
  } catch (error) {
    const e = error as { message?: string; code?: unknown };
    reply = { id: request.id, ok: false, message: e.message ?? String(error), code: typeof e.code === 'string' ? e.code : undefined };
  }
  port.postMessage(reply);
});
