import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../server/store/store.ts';
import { runGenerationJob } from '../../server/sampling/job-runner.ts';
import { cancelGenerationJob, resumeGenerationJobs, stopGenerationJobs } from '../../server/sampling/job-takeover.ts';
import { samplingSettingsInputSchema, type GenerationJob } from '../../shared/sampling.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { freshDatabase, type TestDatabase } from '../support/test-database.ts';

// Two stores on one database (file or Postgres) play two server processes, each with its own lease owner name.
let fake: FakeOpenAi;
let dir: string;
let p: Store;
let q: Store;
let database: TestDatabase;
const k = 2;
beforeAll(async () => {
  fake = await startFakeOpenAi({ latencyMs: 20 }, { record: false });
  dir = mkdtempSync(join(tmpdir(), 'podium-lease-'));
  database = await freshDatabase(dir);
  p = await openStore(database.target);
  q = await openStore(database.target);
});
afterAll(async () => {
  await Promise.all([stopGenerationJobs(p), stopGenerationJobs(q)]);
  await p.close();
  await q.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  await fake?.close();
});

async function project(prompts: number): Promise<number> {
  const made = await p.projects.create({ name: `lease ${Math.random()}`, guidelines: '', responsesPerPrompt: k, labelersPerPrompt: 1, allowTies: true, leaseMinutes: 30 }, null);
  await p.prompts.importPrompts(made.id, Array.from({ length: prompts }, (_, i) => ({ line: i + 1, externalId: `l${i}`, messages: [{ role: 'user' as const, content: `Lease ${i}?` }], metadata: {}, responses: [] })));
  // seeded, so every sample is a request of its own and a job takes a while
  await p.sampling.saveSettings(made.id, samplingSettingsInputSchema.parse({ endpoint: { baseUrl: fake.baseUrl }, policies: [{ model: 'lease', count: k, seed: 7 }] }), { mayNameKeyEnv: false });
  return made.id;
}

async function responsesPerPrompt(store: Store, projectId: number): Promise<number[]> {
  const rows = await store.engine.all<{ n: number }>('SELECT (SELECT count(*) FROM responses r WHERE r.prompt_id = pr.id) AS n FROM prompts pr WHERE pr.project_id = ? ORDER BY pr.id', projectId);
  return rows.map((r) => r.n);
}

async function waitFor(store: Store, id: number, until: (j: GenerationJob) => boolean): Promise<GenerationJob> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await store.sampling.job(id);
    if (job && until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const slow = { leaseMs: 60_000, renewMs: 50 };

describe('job leases', () => {
  it('refuse a fresh lease, give up a stale one, and fence off the owner that lost it (store)', async () => {
    const id = (await p.sampling.createJob(await project(3), k, 2, null, { owner: 'P', at: 10_000 })).job.id;
    const lease = 5_000;
    expect(await q.sampling.claimJob(id, 'Q', 11_000, 11_000 - lease)).toBe(false);
    expect(await q.sampling.staleJobs(11_000 - lease)).not.toContain(id);
    expect(await p.sampling.claimJob(id, 'P', 11_000, 11_000 - lease)).toBe(true); // its own again: fine
    expect(await p.sampling.renewLease(id, 'P', 12_000)).toBe(true);
    expect(await q.sampling.claimJob(id, 'Q', 16_999, 16_999 - lease)).toBe(false); // heartbeat 12 000 is not older than 11 999
    expect(await q.sampling.staleJobs(17_001 - lease)).toContain(id);
    expect(await q.sampling.claimJob(id, 'Q', 17_001, 17_001 - lease)).toBe(true);
    expect(await q.sampling.lease(id)).toEqual({ owner: 'Q', heartbeatAt: 17_001 });

    // P lost it: its renewals, writes and finish are refused and change nothing
    expect(await p.sampling.renewLease(id, 'P', 18_000)).toBe(false);
    const prompt = (await p.sampling.pendingPrompts(id, 0, 1))[0];
    if (!prompt) throw new Error('no pending prompt');
    const outcome = { promptId: prompt.promptId, needed: k, error: null, responses: [{ text: 'late', model: 'm', policy: null, params: {}, seed: null, latencyMs: null, promptTokens: null, completionTokens: null, finishReason: 'stop', duplicate: false, source: 'sampled' as const }] };
    expect(await p.sampling.recordOutcomes(id, 'P', 18_000, [outcome], [])).toBe(false);
    expect(await p.sampling.finishJob(id, 'P', 'done')).toBe(false);
    expect(await p.sampling.job(id)).toMatchObject({ status: 'running', done: 0 });
    expect(await p.sampling.storedResponses(prompt.promptId)).toHaveLength(0);
    expect(await q.sampling.recordOutcomes(id, 'Q', 18_000, [outcome], [])).toBe(true);
    expect((await q.sampling.job(id))?.done).toBe(1);

    // cancel works whoever holds the lease; the holder then finds it ended
    expect(await p.sampling.cancelJob(id)).toBe(true);
    expect(await q.sampling.renewLease(id, 'Q', 19_000)).toBe(false);
    expect(await q.sampling.claimJob(id, 'Q', 19_000, 0)).toBe(false);
    expect(await q.sampling.staleJobs(Number.MAX_SAFE_INTEGER)).not.toContain(id);
  });

  it('a runner that lost its lease stops working on the job, and the new owner finishes it with exactly K per prompt', async () => {
    const projectId = await project(30);
    const id = (await p.sampling.createJob(projectId, k, 2, null, { owner: 'P', at: Date.now() })).job.id;
    const logs: string[] = [];
    const first = await runGenerationJob(p, id, { owner: 'P', lease: slow, log: (l) => logs.push(l) });
    expect(first.claimed).toBe(true);
    await waitFor(p, id, (j) => j.done >= 6);

    // Q refuses P's fresh lease…
    const refused = await runGenerationJob(q, id, { owner: 'Q', lease: slow });
    expect(refused.claimed).toBe(false);
    // …until P is as good as dead, then takes it over. Q's clock runs a whole lease ahead, so even a heartbeat P
    // writes while the claim is on its way (P renews every 50 ms) counts as stale.
    const staleBefore = Date.now() + slow.leaseMs;
    expect(await q.sampling.claimJob(id, 'Q', Date.now(), staleBefore)).toBe(true);
    const second = await runGenerationJob(q, id, { owner: 'Q', lease: slow });
    expect(second.claimed).toBe(true);

    expect(await first.finished).toBe('running'); // P let go without finishing or releasing anything
    expect(logs.join('\n')).toContain('another process took its lease over');
    expect(await second.finished).toBe('done');
    expect(await q.sampling.job(id)).toMatchObject({ status: 'done', total: 60, done: 60, failed: 0 });
    expect((await responsesPerPrompt(q, projectId)).every((n) => n === k)).toBe(true);
    expect((await q.sampling.lease(id))?.owner).toBeNull();
  });

  it('a job whose owner stops heartbeating is taken over by a process that was already running, not only at its start', async () => {
    const projectId = await project(4);
    // an owner that took the job a moment ago and will never renew it (it was killed)
    const id = (await p.sampling.createJob(projectId, k, 2, null, { owner: 'dead-host:1:gone', at: Date.now() })).job.id;
    const lease = { leaseMs: 400, renewMs: 100 };
    const logs: string[] = [];
    const atStart = await resumeGenerationJobs(q, { owner: 'Q', lease, log: (l) => logs.push(l) });
    expect(atStart).not.toContain(id);
    const job = await waitFor(q, id, (j) => j.status === 'done');
    expect(job).toMatchObject({ total: 8, done: 8, failed: 0 });
    expect(logs.join('\n')).toContain(`Resuming generation job ${id}`);
    expect(await responsesPerPrompt(q, projectId)).toEqual([k, k, k, k]);
    await stopGenerationJobs(q);
  });

  it('a cancel from another process stops the owner, which lets go of the job', async () => {
    const projectId = await project(30);
    const id = (await p.sampling.createJob(projectId, k, 2, null, { owner: 'P', at: Date.now() })).job.id;
    const run = await runGenerationJob(p, id, { owner: 'P', lease: slow });
    await waitFor(p, id, (j) => j.done >= 4);
    expect((await cancelGenerationJob(q, id))?.status).toBe('cancelled');
    expect(await run.finished).toBe('cancelled');
    expect((await p.sampling.lease(id))?.owner).toBeNull();
    expect((await responsesPerPrompt(p, projectId)).every((n) => n === 0 || n === k)).toBe(true);
  });
});
