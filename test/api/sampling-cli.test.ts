import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../server/store/store.ts';
import { freshDatabase } from '../support/test-database.ts';
import { samplingSettingsInputSchema } from '../../shared/sampling.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { runCli } from '../support/cli.ts';

let fake: FakeOpenAi;
let dir: string;
beforeAll(async () => {
  fake = await startFakeOpenAi({ nMode: 'ignore', latencyMs: 5 });
  dir = mkdtempSync(join(tmpdir(), 'podium-generate-'));
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function podium(args: string[], env: Record<string, string>) {
  const run = await runCli(args, env);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('podium generate', () => {
  it('samples every missing response with the same job machinery, printing progress and the job', async () => {
    const database = await freshDatabase(dir);
    const store = await openStore(database.target);
    const project = await store.projects.create({ name: 'cli', guidelines: '', responsesPerPrompt: 2, labelersPerPrompt: 1, allowTies: true, leaseMinutes: 30 }, null);
    await store.prompts.importPrompts(project.id, Array.from({ length: 6 }, (_, i) => ({ line: i + 1, externalId: `c${i}`, messages: [{ role: 'user' as const, content: `CLI ${i}?` }], metadata: {}, responses: [] })));
    await store.sampling.saveSettings(project.id, samplingSettingsInputSchema.parse({ endpoint: { baseUrl: fake.baseUrl, apiKey: 'sk-cli' }, policies: [{ model: 'cli-model', count: 2 }] }), { mayNameKeyEnv: true });
    await store.close();

    const bad = await podium(['generate'], database.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: podium generate');

    const run = await podium(['generate', '--project', String(project.id), '--concurrency', '3'], database.env);
    expect(run.stderr).toContain('12/12 samples');
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}').job;
    expect(job).toMatchObject({ status: 'done', total: 12, done: 12, failed: 0, concurrency: 3 });
    expect(run.stdout + run.stderr).not.toContain('sk-cli');
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer sk-cli')).toBe(true);

    const check = await openStore(database.target);
    const counts = await check.engine.all<{ n: number }>('SELECT response_count AS n FROM prompts');
    await check.close();
    await database.drop();
    expect(counts.map((c) => c.n)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});
