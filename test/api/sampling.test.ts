import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import type { GenerationJob } from '../../shared/sampling.ts';

const secret = 'sk-test-secret-0123456789';

let server: TestServer;
let fake: FakeOpenAi;
let lead: ApiClient;
beforeAll(async () => {
  [server, fake] = await Promise.all([startTestServer(), startFakeOpenAi()]);
  lead = (await userClient(server, 'lead', 'lead')).client;
});
afterAll(async () => {
  await Promise.all([server?.stop(), fake?.close()]);
});
beforeEach(() => fake.reset());

type Row = { external_id: string; text: string; model: string; policy: string; params: string; seed: number | null; latency_ms: number | null; prompt_tokens: number | null; completion_tokens: number | null; finish_reason: string | null; duplicate: number; source: string };

async function responsesOf(projectId: number): Promise<Map<string, Row[]>> {
  const rows = await server.store.engine.all<Row>('SELECT p.external_id, r.* FROM responses r JOIN prompts p ON p.id = r.prompt_id WHERE p.project_id = ? ORDER BY r.id', projectId);
  const by = new Map<string, Row[]>();
  for (const r of rows) by.set(r.external_id, [...(by.get(r.external_id) ?? []), r]);
  return by;
}

async function responseCounts(projectId: number): Promise<number[]> {
  return (await server.store.engine.all<{ n: number }>('SELECT response_count AS n FROM prompts WHERE project_id = ? ORDER BY id', projectId)).map((r) => r.n);
}

/** A project of `prompts` prompts without responses, and its sampling settings. */
async function sampledProject(k: number, prompts: number, settings: Record<string, unknown>, lines?: unknown[]): Promise<number> {
  const created = await lead.post('/api/projects', { name: `sampling ${Math.random()}`, responsesPerPrompt: k, labelersPerPrompt: 1 });
  expect(created.status).toBe(201);
  const id = created.body.project.id as number;
  const imported = await lead.post(`/api/projects/${id}/import`, jsonl(lines ?? Array.from({ length: prompts }, (_, i) => ({ id: `q${i + 1}`, prompt: `Question ${i + 1}?` }))));
  expect(imported.status).toBe(200);
  const put = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: fake.baseUrl, apiKey: secret }, ...settings });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return id;
}

async function startJob(projectId: number, concurrency?: number): Promise<GenerationJob> {
  const res = await lead.post(`/api/projects/${projectId}/generation-jobs`, concurrency ? { concurrency } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.job as GenerationJob;
}

async function waitForJob(id: number, until: (j: GenerationJob) => boolean = (j) => ['done', 'failed', 'cancelled'].includes(j.status), timeoutMs = 15_000): Promise<GenerationJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await lead.get(`/api/generation-jobs/${id}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(secret);
    if (until(res.body.job)) return res.body.job as GenerationJob;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${JSON.stringify(res.body.job)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sampling settings', () => {
  it('are for leads, need counts that make K, and never give the key back', async () => {
    const created = await lead.post('/api/projects', { name: 'settings', responsesPerPrompt: 4, labelersPerPrompt: 1 });
    const id = created.body.project.id as number;
    const good = { endpoint: { baseUrl: fake.baseUrl, apiKey: secret }, systemPrompt: 'Be brief.', policies: [{ model: 'a', count: 3, temperature: 1 }, { model: 'b', count: 1 }] };

    const short = await lead.put(`/api/projects/${id}/sampling`, { ...good, policies: [{ model: 'a', count: 3 }] });
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0].path).toEqual(['policies']);
    expect(short.body.error.message).toContain('K = 4');
    const same = await lead.put(`/api/projects/${id}/sampling`, { ...good, policies: [{ model: 'a', count: 2 }, { model: 'a', count: 2 }] });
    expect(same.status).toBe(400);
    const badUrl = await lead.put(`/api/projects/${id}/sampling`, { ...good, endpoint: { baseUrl: 'localhost:8000' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.issues.length).toBeGreaterThan(0);
    const badTemp = await lead.put(`/api/projects/${id}/sampling`, { ...good, policies: [{ model: 'a', count: 4, temperature: 'hot' }] });
    expect(badTemp.status).toBe(400);

    const { client: labeler, id: labelerId } = await userClient(server, 'settings-labeler');
    expect((await labeler.get(`/api/projects/${id}/sampling`)).status).toBe(404);
    await server.admin.post(`/api/projects/${id}/members`, { userId: labelerId });
    expect((await labeler.put(`/api/projects/${id}/sampling`, good)).status).toBe(403);
    expect((await labeler.get(`/api/projects/${id}/sampling`)).status).toBe(403);

    const put = await lead.put(`/api/projects/${id}/sampling`, good);
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain(secret);
    expect(put.body.settings.endpoint).toEqual({ baseUrl: fake.baseUrl, hasApiKey: true, apiKeyEnv: null, apiKeyEnvSet: false });
    const got = await lead.get(`/api/projects/${id}/sampling`);
    expect(JSON.stringify(got.body)).not.toContain(secret);
    expect(got.body.settings).toMatchObject({ systemPrompt: 'Be brief.', policies: good.policies, requestTimeoutMs: 120_000, maxRetries: 4 });

    // an absent key keeps the stored one; null removes it
    const kept = await lead.put(`/api/projects/${id}/sampling`, { ...good, endpoint: { baseUrl: fake.baseUrl } });
    expect(kept.body.settings.endpoint.hasApiKey).toBe(true);
    const removed = await lead.put(`/api/projects/${id}/sampling`, { ...good, endpoint: { baseUrl: fake.baseUrl, apiKey: null } });
    expect(removed.body.settings.endpoint.hasApiKey).toBe(false);
    const audit = await server.store.engine.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'sampling.settings'");
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('a job needs settings first', async () => {
    const created = await lead.post('/api/projects', { name: 'no settings', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    const res = await lead.post(`/api/projects/${created.body.project.id}/generation-jobs`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('no_sampling_settings');
    expect((await lead.post(`/api/projects/${created.body.project.id}/generation-jobs`, { concurrency: 0 })).status).toBe(400);
  });

  it('"test connection" shows the answer, or the server\'s own error', async () => {
    const id = await sampledProject(2, 1, { policies: [{ model: 'probe', count: 2 }] });
    const ok = await lead.post(`/api/projects/${id}/sampling/test`);
    expect(ok.status).toBe(200);
    expect(ok.body.result).toMatchObject({ ok: true, model: 'probe', choices: 1 });
    expect(ok.body.result.text).toContain('Reply with one word');
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${secret}`);

    fake.reset({ knownModels: ['other'] });
    const bad = await lead.post(`/api/projects/${id}/sampling/test`);
    expect(bad.body.result).toMatchObject({ ok: false, status: 404 });
    expect(bad.body.result.message).toContain('The model `probe` does not exist');
  });
});

describe('generation jobs', () => {
  it('fill every prompt with exactly K responses in the policy mix, asking for n where the server honours it', async () => {
    const id = await sampledProject(4, 5, {
      systemPrompt: 'Be brief.',
      policies: [
        { model: 'mix-a', count: 3, temperature: 0.9, top_p: 0.95, max_tokens: 64 },
        { model: 'mix-b', count: 1, temperature: 0.2 },
      ],
    });
    const job = await startJob(id);
    expect(job).toMatchObject({ status: 'queued', total: 20, done: 0, failed: 0 });
    const done = await waitForJob(job.id);
    expect(done).toMatchObject({ status: 'done', total: 20, done: 20, failed: 0, duplicates: 0, errors: [] });

    expect(await responseCounts(id)).toEqual([4, 4, 4, 4, 4]);
    for (const [, rows] of (await responsesOf(id))) {
      expect(rows.filter((r) => r.model === 'mix-a')).toHaveLength(3);
      expect(rows.filter((r) => r.model === 'mix-b')).toHaveLength(1);
      expect(new Set(rows.map((r) => r.text)).size).toBe(4);
      const a = rows.find((r) => r.model === 'mix-a');
      expect(a).toMatchObject({ policy: 'mix-a t=0.9 top_p=0.95 max=64', source: 'sampled', finish_reason: 'stop', duplicate: 0 });
      expect(JSON.parse(a?.params ?? '{}')).toMatchObject({ temperature: 0.9, top_p: 0.95, max_tokens: 64 });
      expect(a?.latency_ms).toBeGreaterThanOrEqual(0);
      expect(a?.prompt_tokens).toBeGreaterThan(0);
      const b = rows.find((r) => r.model === 'mix-b');
      // a single-choice request's usage is that response's own
      expect(b?.completion_tokens).toBe(5);
    }

    // one request per policy and prompt: n = 3 for mix-a
    expect(fake.requests).toHaveLength(10);
    for (const r of fake.requests) {
      expect(r.path).toBe('/v1/chat/completions');
      expect(r.headers.authorization).toBe(`Bearer ${secret}`);
      expect((r.body.messages as { role: string; content: string }[])[0]).toEqual({ role: 'system', content: 'Be brief.' });
      if (r.body.model === 'mix-a') expect(r.body).toMatchObject({ n: 3, temperature: 0.9, top_p: 0.95, max_tokens: 64 });
      else expect(r.body.n).toBeUndefined();
    }

    const latest = await lead.get(`/api/projects/${id}/generation-jobs/latest`);
    expect(latest.body.job.id).toBe(job.id);
    expect(JSON.stringify(latest.body)).not.toContain(secret);

    // labelers see text only
    const { client: labeler, id: labelerId } = await userClient(server, 'blind-labeler');
    await lead.post(`/api/projects/${id}/members`, { userId: labelerId });
    const task = await labeler.post(`/api/projects/${id}/tasks/next`);
    expect(task.status).toBe(200);
    for (const r of task.body.assignment.responses) expect(Object.keys(r).sort()).toEqual(['id', 'text']);
    const peek = await labeler.get(`/api/generation-jobs/${job.id}`);
    expect(peek.status).toBe(403);

    // nothing missing: a new job has nothing to do
    const again = await startJob(id);
    expect(again.total).toBe(0);
    expect(await waitForJob(again.id)).toMatchObject({ status: 'done', done: 0 });
    expect(fake.requests).toHaveLength(10);
  });

  it('fall back to single requests where the server ignores n (Ollama, TGI), and remember it', async () => {
    fake.reset({ nMode: 'ignore' });
    const id = await sampledProject(3, 4, { policies: [{ model: 'ollama-like', count: 3, temperature: 0.8 }] });
    const job = await waitForJob((await startJob(id, 2)).id);
    expect(job).toMatchObject({ status: 'done', done: 12, failed: 0 });
    expect(await responseCounts(id)).toEqual([3, 3, 3, 3]);
    for (const [, rows] of (await responsesOf(id))) expect(new Set(rows.map((r) => r.text)).size).toBe(3);
    const multi = fake.requests.filter((r) => typeof r.body.n === 'number').length;
    expect(multi).toBeLessThanOrEqual(2); // only the requests sent before the first answer came back
    expect(fake.requests).toHaveLength(12); // each prompt: 3 samples, whichever way they were asked for

    // a later job on the same endpoint and model asks one at a time from the start
    await lead.post(`/api/projects/${id}/import`, jsonl([{ id: 'later', prompt: 'Later?' }]));
    fake.reset({ nMode: 'ignore' });
    await waitForJob((await startJob(id)).id);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.every((r) => r.body.n === undefined)).toBe(true);
  });

  it('fall back to single requests where the server rejects n (older llama.cpp)', async () => {
    fake.reset({ nMode: 'reject' });
    const id = await sampledProject(2, 3, { policies: [{ model: 'llamacpp-like', count: 2 }] });
    const job = await waitForJob((await startJob(id, 1)).id);
    expect(job).toMatchObject({ status: 'done', done: 6, failed: 0, errors: [] });
    expect(await responseCounts(id)).toEqual([2, 2, 2]);
    // one rejected n = 2, then singles only
    expect(fake.requests.filter((r) => r.body.n === 2)).toHaveLength(1);
    expect(fake.requests).toHaveLength(7);
  });

  it('give each seeded sample its own seed (seed + i), one request each', async () => {
    const id = await sampledProject(4, 2, { policies: [{ model: 'seeded', count: 3, seed: 100, temperature: 1 }, { model: 'seeded', count: 1, seed: 7 }] });
    await waitForJob((await startJob(id)).id);
    expect(fake.requests).toHaveLength(8);
    expect(fake.requests.every((r) => r.body.n === undefined)).toBe(true);
    for (const [, rows] of (await responsesOf(id))) {
      expect(rows.map((r) => r.seed).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([7, 100, 101, 102]);
      expect(new Set(rows.map((r) => r.text)).size).toBe(4);
      expect(rows.every((r) => r.duplicate === 0)).toBe(true);
    }
    const sent = fake.requests.map((r) => r.body.seed).sort();
    expect(sent).toEqual([100, 100, 101, 101, 102, 102, 7, 7]);
  });

  it('fill prompts that already have some responses without going past K, and show length finishes', async () => {
    const lines = [
      { id: 'has1', prompt: 'One imported?', responses: ['imported answer'] },
      { id: 'has0', prompt: 'None imported?' },
    ];
    const id = await sampledProject(3, 0, { policies: [{ model: 'short-a', count: 2, max_tokens: 4 }, { model: 'short-b', count: 1, max_tokens: 4 }] }, lines);
    const job = await waitForJob((await startJob(id)).id);
    expect(job).toMatchObject({ status: 'done', total: 5, done: 5, lengthFinishes: 5 });
    const by = (await responsesOf(id));
    expect(by.get('has1')?.map((r) => r.model).sort()).toEqual([null, 'short-a', 'short-b'].sort());
    expect(by.get('has0')?.map((r) => r.model).sort()).toEqual(['short-a', 'short-a', 'short-b']);
    expect(by.get('has0')?.every((r) => r.finish_reason === 'length')).toBe(true);
  });

  it('retry a 429, honouring retry-after-ms, and a 500 with backoff', async () => {
    fake.reset({ rateLimit: { times: 2, headers: { 'retry-after-ms': '60' } } });
    const id = await sampledProject(2, 1, { policies: [{ model: 'limited', count: 2 }] });
    expect(await waitForJob((await startJob(id, 1)).id)).toMatchObject({ status: 'done', done: 2 });
    expect(fake.requests).toHaveLength(3);
    const [first, second, third] = fake.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(55);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(55);

    fake.reset({ serverErrors: 1 });
    const id2 = await sampledProject(2, 1, { policies: [{ model: 'flaky', count: 2 }] });
    expect(await waitForJob((await startJob(id2, 1)).id)).toMatchObject({ status: 'done', done: 2, failed: 0 });
    expect(fake.requests).toHaveLength(2);
    expect(await responseCounts(id2)).toEqual([2]);
  });

  it('fail on an unknown model with the server\'s message, without retrying', async () => {
    fake.reset({ knownModels: ['real-model'] });
    const id = await sampledProject(2, 3, { policies: [{ model: 'no-such-model', count: 2 }] });
    const job = await waitForJob((await startJob(id)).id);
    expect(job).toMatchObject({ status: 'failed', total: 6, done: 0, failed: 6 });
    expect(job.errors).toHaveLength(1);
    expect(job.errors[0]?.message).toContain('The model `no-such-model` does not exist');
    expect(job.errors[0]?.count).toBe(3);
    expect(fake.requests).toHaveLength(3);
    expect(await responseCounts(id)).toEqual([0, 0, 0]);
  });

  it('give up on a request past its timeout after the allowed retries', async () => {
    fake.reset({ latencyMs: 250 });
    const id = await sampledProject(2, 1, { policies: [{ model: 'slow', count: 2 }], requestTimeoutMs: 100, maxRetries: 1 });
    const job = await waitForJob((await startJob(id)).id);
    expect(job).toMatchObject({ status: 'failed', failed: 2 });
    expect(job.errors[0]?.message).toContain('no answer within 100 ms');
    expect(job.errors[0]?.message).toContain('gave up after 1 retries');
    expect(fake.requests).toHaveLength(2);
  });

  it('sample duplicate texts again a bounded number of times, then keep and mark them', async () => {
    fake.reset({ duplicates: 2 });
    const id = await sampledProject(3, 1, { policies: [{ model: 'dup-once', count: 3 }] });
    expect(await waitForJob((await startJob(id)).id)).toMatchObject({ status: 'done', done: 3, duplicates: 0 });
    expect(fake.requests).toHaveLength(2); // n = 3 with two alike, then one re-sample
    expect([...(await responsesOf(id)).values()][0]?.every((r) => r.duplicate === 0)).toBe(true);

    fake.reset({ duplicates: 'always' });
    const id2 = await sampledProject(3, 1, { policies: [{ model: 'dup-always', count: 3 }] });
    expect(await waitForJob((await startJob(id2)).id)).toMatchObject({ status: 'done', done: 3, duplicates: 2 });
    // n = 3, then two samples each re-sampled twice
    expect(fake.requests).toHaveLength(5);
    const rows = [...(await responsesOf(id2)).values()][0] ?? [];
    expect(rows.map((r) => r.duplicate).sort()).toEqual([0, 1, 1]);
  });

  it('use the key from the environment variable an admin names', async () => {
    process.env.PODIUM_KEY_TEST_SAMPLING = 'sk-from-env-42';
    try {
      const id = await sampledProject(2, 1, { policies: [{ model: 'env-key', count: 2 }] });
      const put = await server.admin.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: fake.baseUrl, apiKey: null, apiKeyEnv: 'PODIUM_KEY_TEST_SAMPLING' }, policies: [{ model: 'env-key', count: 2 }] });
      expect(put.body.settings.endpoint).toMatchObject({ hasApiKey: false, apiKeyEnv: 'PODIUM_KEY_TEST_SAMPLING', apiKeyEnvSet: true });
      expect(JSON.stringify(put.body)).not.toContain('sk-from-env-42');
      await waitForJob((await startJob(id)).id);
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-from-env-42');
    } finally {
      delete process.env.PODIUM_KEY_TEST_SAMPLING;
    }
  });

  it('cancel stops new requests; prompts are stored whole or not at all', async () => {
    fake.reset({ latencyMs: 60 });
    const id = await sampledProject(2, 30, { policies: [{ model: 'to-cancel', count: 2 }] });
    const job = await startJob(id, 2);
    await waitForJob(job.id, (j) => j.done >= 4);
    const second = await lead.post(`/api/projects/${id}/generation-jobs`, {});
    expect(second.status).toBe(409);
    const cancelled = await lead.post(`/api/generation-jobs/${job.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job.status).toBe('cancelled');
    const sent = fake.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.requests.length).toBe(sent);
    const after = await waitForJob(job.id);
    expect(after.status).toBe('cancelled');
    expect(after.done).toBeLessThan(60);
    expect((await responseCounts(id)).every((n) => n === 0 || n === 2)).toBe(true);
    // a new job samples only what is still missing
    fake.set({ latencyMs: 0 });
    const rest = await startJob(id, 8);
    expect(rest.total).toBe(60 - (await responseCounts(id)).reduce((a, b) => a + b, 0));
    await waitForJob(rest.id);
    expect((await responseCounts(id)).every((n) => n === 2)).toBe(true);
  });

  it('stream progress over SSE until the job ends', async () => {
    fake.reset({ latencyMs: 25 });
    const id = await sampledProject(2, 12, { policies: [{ model: 'streamed', count: 2 }] });
    const job = await startJob(id, 2);
    const res = await fetch(`${server.url}/api/generation-jobs/${job.id}/events`, { headers: { cookie: lead.cookie, accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text(); // the stream closes after the end event
    expect(text).not.toContain(secret);
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => ({ event: /event: (\w+)/.exec(block)?.[1], job: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? '{}').job as GenerationJob }));
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const dones = progress.map((e) => e.job.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
    expect(events.at(-1)).toMatchObject({ event: 'end', job: { status: 'done', done: 24, total: 24 } });

    const unknown = await fetch(`${server.url}/api/generation-jobs/999999/events`, { headers: { cookie: lead.cookie } });
    expect(unknown.status).toBe(404);
  });
});
