import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../server/store/store.ts';
import { seedRankedProject } from '../../bench/support/seed-rankings.ts';
import { rankingsOfPromptRange, type LoadedPrompt } from '../../server/store/export-batch.ts';
import { defaultCriteria } from '../../shared/criteria.ts';
import type { ExportRead } from '../../server/export/export-types.ts';
import { freshDatabase, testEngine, type TestDatabase } from '../support/test-database.ts';

// The export's source is what every export format, the CLI and the dataset card read: the batch size is how it reads,
// never what it reads.
describe('the export source, batch by batch', () => {
  let dir: string;
  let db: TestDatabase;
  let store: Store;
  let projectId: number;
  const read: ExportRead = { selection: { key: defaultCriteria[0]!.key, first: true }, criteria: defaultCriteria };

  const all = async (batchSize: number, project = projectId): Promise<LoadedPrompt[]> => {
    const prompts: LoadedPrompt[] = [];
    for await (const batch of store.exportSource.batches(project, read, batchSize)) {
      expect(batch.length).toBeLessThanOrEqual(batchSize);
      prompts.push(...batch);
    }
    return prompts;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-export-batches-'));
    db = await freshDatabase(dir);
    store = await openStore(db.target);
    projectId = await seedRankedProject(store.engine, { prompts: 130, k: 4, labelers: 3, seed: 3 });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every prompt once, in id order, with the same responses and rankings whatever the batch size', async () => {
    const whole = await all(1000);
    expect(whole.length).toBe(130);
    expect(whole.map((p) => p.id)).toEqual([...whole.map((p) => p.id)].sort((a, b) => Number(a) - Number(b)));
    expect(whole.every((p) => p.responses.length === 4 && p.rankings.length > 0)).toBe(true);
    // 130 = 6 × 20 + 10 and 13 × 10: a last batch shorter than the others, and one exactly full.
    expect(await all(20)).toEqual(whole);
    expect(await all(10)).toEqual(whole);
    expect(await all(7)).toEqual(whole);
  });

  it('stops reading when the consumer stops, and reads again from the start afterwards', async () => {
    let seen = 0;
    for await (const batch of store.exportSource.batches(projectId, read, 20)) {
      seen += batch.length;
      if (seen >= 40) break;
    }
    expect(seen).toBe(40);
    expect((await all(100)).length).toBe(130);
  });

  // A project labelled for a while has one prompt's rankings far apart in the table: labelers at their own pace, extra
  // labelers on disputed prompts, late corrections.
  it('gives each prompt all its rankings, in submission order, when they lie scattered over the table', async () => {
    const scattered = await seedRankedProject(store.engine, { prompts: 60, k: 4, labelers: 3, seed: 5, scattered: true });
    const stored = await store.engine.all<{ prompt_id: number; id: number; user_id: number; tiers: string }>(
      'SELECT r.prompt_id, r.id, r.user_id, r.tiers FROM rankings r JOIN prompts p ON p.id = r.prompt_id WHERE p.project_id = ? ORDER BY r.prompt_id, r.id',
      scattered,
    );
    expect(stored.length).toBe(180);
    // scattered indeed: in prompt order, the rankings' ids go back and forth
    expect(stored.some((r, i) => i > 0 && r.id < (stored[i - 1] as { id: number }).id)).toBe(true);
    const read = (await all(25, scattered)).flatMap((p) => p.rankings.map((r) => [Number(p.id), Number(r.labeler), r.ranking]));
    expect(read).toEqual(stored.map((r) => [Number(r.prompt_id), Number(r.user_id), JSON.parse(r.tiers) as number[][]]));
  });

  // What keeps an export's speed the same however the rankings lie: no ranking read visits the table (migration 016).
  it.runIf(testEngine === 'sqlite')('reads the rankings from their index alone on SQLite', async () => {
    const plan = await store.engine.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${rankingsOfPromptRange}`, 1, 100);
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH r USING COVERING INDEX rankings_prompt/);
  });
});
