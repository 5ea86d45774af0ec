import { HTTPException } from 'hono/http-exception';
import { importLimits, type ParseResult } from './parse-import.ts';
import { parseImportLines } from './read-import.ts';
import { leaseOwner, leaseTiming } from '../sampling/job-lease.ts';
import type { Store } from '../store/store.ts';
import { repeatOneAtATime, type Repeating } from '../timers/repeat.ts';
import type { ImportReply } from '../../shared/import-line.ts';

/** Staged lines are deleted this many at a time once an import has ended, each a short transaction. */
const deleteLines = 1000;

export type ImportOutcome = { ok: false; parsed: ParseResult } | { ok: true; reply: ImportReply };

/** The batch's lease ran out (this process stalled past it) and another sweep dropped what was staged. */
export class ImportInterruptedError extends HTTPException {
  constructor() {
    super(503, { message: 'the import was interrupted before it was stored; nothing was imported; send it again' });
  }
}

/** Deletes an ended batch's staged rows a few lines per transaction, the event loop free between them. */
async function deleteStaged(store: Store, batchId: number): Promise<void> {
  const lines = await store.importStage.stagedLines(batchId);
  if (!lines) return;
  for (let first = lines.first; first <= lines.last; first += deleteLines) await store.importStage.deleteStaged(batchId, first, first + deleteLines);
}

/**
 * The atomic import of the API and the CLI (decision 023): lines are checked as they stream in and the good ones
 * staged in short transactions under a lease; a good file is then moved into the project in one transaction that
 * runs off the event loop, and a bad one is answered with its lines while its stage is deleted. Either way nothing
 * of the file is visible before the move, and memory holds about one staged piece, not the file.
 */
export async function importLines(
  store: Store,
  project: { id: number; responsesPerPrompt: number },
  lines: AsyncIterable<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ImportOutcome> {
  const { renewMs } = leaseTiming(env);
  let batchId: number | null = null;
  let lost = false;
  const renewals = repeatOneAtATime(async () => {
    if (batchId !== null && !(await store.importStage.renew(batchId, Date.now()))) lost = true;
  }, renewMs);
  try {
    const parsed = await parseImportLines(lines, project.responsesPerPrompt, importLimits, async (prompts) => {
      batchId ??= await store.importStage.open(project.id, leaseOwner, Date.now());
      if (!(await store.importStage.stage(batchId, prompts, Date.now()))) lost = true;
    });
    if (parsed.badLines > 0) return { ok: false, parsed };
    if (batchId === null) throw new Error('a good import staged nothing');
    const result = lost ? null : await store.importStage.commit(batchId, project.id, Date.now());
    if (!result) throw new ImportInterruptedError();
    return { ok: true, reply: { ...result, warnings: parsed.warnings, warningLines: parsed.warningLines } };
  } finally {
    await renewals.stop();
    if (batchId !== null) {
      // Moved, refused or failed, the batch has ended: its staged rows go now, or with the next sweep if this fails.
      await store.importStage.drop(batchId).then(() => deleteStaged(store, batchId as number)).catch(() => {});
    }
  }
}

/** Ends batches whose owner stopped renewing them (a crash, kill -9) and deletes the staged rows of ended batches. */
export async function sweepImportStages(store: Store, leaseMs: number, now = Date.now()): Promise<void> {
  await store.importStage.dropStale(now - leaseMs);
  for (const batchId of await store.importStage.ended()) await deleteStaged(store, batchId);
}

const sweeps = new WeakMap<Store, Repeating>();

/** Sweeps at once and then once per lease, until `stopImportSweeps`: what a crashed import staged does not stay. */
export function startImportSweeps(store: Store, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.error): void {
  const { leaseMs } = leaseTiming(env);
  const sweep = () => sweepImportStages(store, leaseMs).catch((error: unknown) => log(`import sweep failed: ${(error as Error).message}`));
  sweeps.set(store, repeatOneAtATime(sweep, leaseMs, { atOnce: true }));
}

/** Stops the sweeps and waits for one under way, so the store can close after it. */
export async function stopImportSweeps(store: Store): Promise<void> {
  const sweeping = sweeps.get(store);
  sweeps.delete(store);
  await sweeping?.stop();
}
