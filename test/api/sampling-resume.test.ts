import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { killProcessGroup, startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { readSqlite, waitForJob } from '../support/job-wait.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';

const password = 'resume-admin-password';
// a short lease so the test need not wait the default 15 s for the dead owner's heartbeat to go stale
const env = { PODIUM_ADMIN_PASSWORD: password, PODIUM_DEMO: '0', PODIUM_JOB_LEASE_MS: '1500' };
const patience = 90_000;

let fake: FakeOpenAi;
let product: Product | undefined;
let dir: string | undefined;
beforeAll(async () => {
  fake = await startFakeOpenAi({ latencyMs: 40 });
});
afterAll(async () => {
  await product?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await fake?.close();
});

async function waitUntil(ok: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + patience;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a generation job whose server was killed with its whole process group', () => {
  it('is taken over by the next server on the same database once its lease goes stale, and ends with exactly K per prompt', async () => {
    product = await startProduct(env, undefined, { detached: true });
    const first = product;
    dir = first.dir;
    const admin = new ApiClient(first.url);
    await admin.login('admin', password);
    const created = await admin.post('/api/projects', { name: 'resume', responsesPerPrompt: 3, labelersPerPrompt: 1 });
    const projectId = created.body.project.id as number;
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, prompt: `Resume ${i}?` }))))).status).toBe(200);
    const put = await admin.put(`/api/projects/${projectId}/sampling`, {
      endpoint: { baseUrl: fake.baseUrl },
      // seeded samples go one request each, so a prompt is half-sampled whenever the process dies
      policies: [{ model: 'resume-a', count: 2, seed: 1 }, { model: 'resume-b', count: 1, temperature: 0.5 }],
    });
    expect(put.status).toBe(200);
    const started = await admin.post(`/api/projects/${projectId}/generation-jobs`, { concurrency: 4 });
    expect(started.status).toBe(201);
    const jobId = started.body.job.id as number;

    await waitForJob(admin, jobId, (j) => j.done >= 15);
    // as `kill -9` of npm start, a container stop or systemd does: the whole group at once
    await killProcessGroup(first);
    const requestsBefore = fake.requests.length;
    const atKill = readSqlite(first.dbFile, (db) => ({
      stored: (db.prepare('SELECT count(*) AS n FROM responses').get() as { n: number }).n,
      job: db.prepare('SELECT status, owner FROM generation_jobs WHERE id = ?').get(jobId) as { status: string; owner: string | null },
    }));
    expect(atKill.stored).toBeGreaterThan(0);
    expect(atKill.stored).toBeLessThan(120);
    // the dead server still holds the lease: nothing but its heartbeat going stale frees the job
    expect(atKill.job.status).toBe('running');
    expect(atKill.job.owner).not.toBeNull();

    product = await startProduct(env, { dir: first.dir, dbFile: first.dbFile }, { detached: true });
    const restarted = product;
    await waitUntil(() => restarted.output().includes(`Resuming generation job ${jobId}`), () => restarted.output());
    const again = new ApiClient(restarted.url);
    await again.login('admin', password);
    const job = await waitForJob(again, jobId, (j) => j.status !== 'running' && j.status !== 'queued');
    expect(job).toMatchObject({ status: 'done', total: 120, done: 120, failed: 0 });
    expect(fake.requests.length).toBeGreaterThan(requestsBefore);

    readSqlite(restarted.dbFile, (db) => {
      const counts = db.prepare('SELECT p.response_count AS counted, (SELECT count(*) FROM responses r WHERE r.prompt_id = p.id) AS n FROM prompts p').all() as { counted: number; n: number }[];
      expect(counts).toHaveLength(40);
      expect(counts.every((c) => c.n === 3 && c.counted === 3)).toBe(true);
      const perPrompt = db.prepare("SELECT prompt_id, group_concat(coalesce(seed, 'none'), ',') AS seeds FROM (SELECT prompt_id, seed FROM responses ORDER BY prompt_id, seed) GROUP BY prompt_id").all() as { seeds: string }[];
      expect(perPrompt.every((p) => p.seeds === '1,2,none' || p.seeds === 'none,1,2')).toBe(true);
      // a finished job leaves no lease behind
      expect(db.prepare('SELECT owner FROM generation_jobs WHERE id = ?').get(jobId)).toEqual({ owner: null });
    });
  });
});
