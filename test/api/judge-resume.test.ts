import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { killProcessGroup, startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { readSqlite, waitForJob } from '../support/job-wait.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { accurateJudge } from '../support/fake-judges.ts';

const password = 'judge-resume-admin-password';
// a short lease so the test need not wait the default 15 s for the dead owner's heartbeat to go stale
const env = { PODIUM_ADMIN_PASSWORD: password, PODIUM_DEMO: '0', PODIUM_JOB_LEASE_MS: '1500' };
const patience = 90_000;
const prompts = 40;

let fake: FakeOpenAi;
let product: Product | undefined;
let dir: string | undefined;
beforeAll(async () => {
  fake = await startFakeOpenAi({ latencyMs: 40, answer: ({ prompt }) => accurateJudge(prompt) });
});
afterAll(async () => {
  await product?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await fake?.close();
});

describe('a judge run whose server was killed with its whole process group', () => {
  it('is taken over by the next server once its lease goes stale, and ends with both orders of every prompt exactly once', async () => {
    product = await startProduct(env, undefined, { detached: true });
    const first = product;
    dir = first.dir;
    const admin = new ApiClient(first.url);
    await admin.login('admin', password);
    const created = await admin.post('/api/projects', { name: 'judge resume', responsesPerPrompt: 3, labelersPerPrompt: 1 });
    const projectId = created.body.project.id as number;
    const lines = Array.from({ length: prompts }, (_, i) => ({ id: `j${i}`, prompt: `Judge ${i}?`, responses: [0, 1, 2].map((q) => `Reply of quality ${(q + i) % 3}.`) }));
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
    expect((await admin.put(`/api/projects/${projectId}/sampling`, { endpoint: { baseUrl: fake.baseUrl }, policies: [{ model: 'sft', count: 3 }] })).status).toBe(200);
    const judge = await admin.post(`/api/projects/${projectId}/judges`, { name: 'Resumed', model: 'resumed' });
    expect(judge.status).toBe(201);
    const started = await admin.post(`/api/projects/${projectId}/judges/${judge.body.judge.id}/runs`, { concurrency: 2 });
    expect(started.status).toBe(201);
    const jobId = started.body.job.id as number;

    await waitForJob(admin, jobId, (j) => j.done >= 20);
    await killProcessGroup(first);
    const atKill = readSqlite(first.dbFile, (db) => ({
      stored: (db.prepare('SELECT count(*) AS n FROM judge_rankings').get() as { n: number }).n,
      job: db.prepare('SELECT status, owner, kind FROM generation_jobs WHERE id = ?').get(jobId) as { status: string; owner: string | null; kind: string },
    }));
    expect(atKill.stored).toBeGreaterThan(0);
    expect(atKill.stored).toBeLessThan(prompts * 2);
    expect(atKill.job).toMatchObject({ status: 'running', kind: 'judge' });
    expect(atKill.job.owner).not.toBeNull();
    const requestsBefore = fake.requests.length;

    product = await startProduct(env, { dir: first.dir, dbFile: first.dbFile }, { detached: true });
    const restarted = product;
    const deadline = Date.now() + patience;
    while (!restarted.output().includes(`Resuming generation job ${jobId}`)) {
      if (Date.now() > deadline) throw new Error(restarted.output());
      await new Promise((r) => setTimeout(r, 20));
    }
    const again = new ApiClient(restarted.url);
    await again.login('admin', password);
    const job = await waitForJob(again, jobId, (j) => j.status !== 'running' && j.status !== 'queued');
    expect(job).toMatchObject({ status: 'done', total: prompts * 2, done: prompts * 2, failed: 0 });
    expect(fake.requests.length).toBeGreaterThan(requestsBefore);
    readSqlite(restarted.dbFile, (db) => {
      const orders = db.prepare('SELECT prompt_id, group_concat(display_index) AS orders FROM (SELECT prompt_id, display_index FROM judge_rankings ORDER BY prompt_id, display_index) GROUP BY prompt_id').all() as { orders: string }[];
      expect(orders).toHaveLength(prompts);
      expect(orders.every((o) => o.orders === '0,1')).toBe(true);
      expect(db.prepare('SELECT owner FROM generation_jobs WHERE id = ?').get(jobId)).toEqual({ owner: null });
    });
    // still not a human label: the project has no rankings and no ranked prompt
    expect((await again.get(`/api/projects/${projectId}/results`)).body.total).toBe(0);
    expect((await again.get(`/api/projects/${projectId}/results?sources=judge`)).body.total).toBe(prompts);
  });
});
