import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../server/store/store.ts';
import type { SqliteEngine } from '../../server/store/engine/sqlite-engine.ts';
import { seedRankedProject } from '../../bench/support/seed-rankings.ts';
import { exportBatch, exportView, type LoadedPrompt } from '../../server/store/export-batch.ts';
import { readAheadBatches, runningReadAheads } from '../../server/store/export-read-ahead.ts';
import { defaultCriteria } from '../../shared/criteria.ts';
import type { ExportRead } from '../../server/export/export-types.ts';
import { testEngine } from '../support/test-database.ts';

// The read-ahead worker only runs on a SQLite file; Postgres reads on the loop's connection.
describe.skipIf(testEngine !== 'sqlite')('the export read ahead on a worker thread', () => {
  let dir: string;
  let store: Store;
  let projectId: number;
  const read: ExportRead = { selection: { key: defaultCriteria[0]!.key, first: true }, criteria: defaultCriteria };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-read-ahead-'));
    store = await openStore({ dbFile: join(dir, 'podium.db') });
    projectId = await seedRankedProject(store.engine, { prompts: 130, k: 4, labelers: 3, seed: 3 });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands over the same prompts, in the same order, as the batch program run on this thread', async () => {
    const onThisThread: LoadedPrompt[] = [];
    const view = exportView(read);
    const engine = store.engine as SqliteEngine;
    for (let b = engine.runSync(exportBatch(projectId, 0, 20, view)); b; b = engine.runSync(exportBatch(projectId, b.last, 20, view))) onThisThread.push(...b.prompts);
    const viaWorker: LoadedPrompt[] = [];
    for await (const batch of store.exportSource.batches(projectId, read, 20)) viaWorker.push(...batch);
    expect(onThisThread.length).toBe(130);
    expect(viaWorker).toEqual(onThisThread);
    expect(runningReadAheads()).toBe(0);
  });

  it('stops the worker when the consumer stops early', async () => {
    let seen = 0;
    for await (const batch of store.exportSource.batches(projectId, read, 20)) {
      seen += batch.length;
      if (seen >= 40) break;
    }
    expect(seen).toBe(40);
    expect(runningReadAheads()).toBe(0);
  });

  it("throws the worker's error where the consumer reads, and leaves no worker", async () => {
    const job = { file: join(dir, 'missing.db'), projectId, after: 0, batchSize: 20, view: exportView(read) };
    await expect(async () => {
      for await (const batch of readAheadBatches(job)) expect(batch).toBeUndefined();
    }).rejects.toThrow(/unable to open database file/);
    expect(runningReadAheads()).toBe(0);
  });
});
