import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { webhookBodySchema, type Webhook, type WebhookDelivery } from '../../shared/webhooks.ts';

type Task = { id: number; prompt: { id: number; externalId: string }; responses: { id: number }[] };

const secret = 'a-webhook-secret-for-the-tests-0123456789';
// Fast timing so retries happen within a test; the defaults are in docs/operations.md.
const timing = { pollMs: 25, retryMs: 100, timeoutMs: 5_000, maxAttempts: 3 };

/** What a receiver does: HMAC-SHA256 of the raw body with the shared secret, compared in constant time. */
function verifies(hook: ReceivedHook, key = secret): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(hook.raw).digest('hex')}`);
  const given = Buffer.from(String(hook.headers['x-podium-signature'] ?? ''));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

let server: TestServer;
let receiver: WebhookReceiver;
let fake: FakeOpenAi;
let lead: ApiClient;
let ana: { client: ApiClient; id: number };
let ben: { client: ApiClient; id: number };

beforeAll(async () => {
  [server, receiver, fake] = await Promise.all([startTestServer({ webhooks: timing }), startWebhookReceiver(), startFakeOpenAi()]);
  lead = (await userClient(server, 'lena', 'lead')).client;
  ana = await userClient(server, 'ana', 'labeler');
  ben = await userClient(server, 'ben', 'labeler');
});
afterAll(async () => {
  await Promise.all([server?.stop(), receiver?.close(), fake?.close()]);
});

/** A project of the lead with ana and ben as labelers and `prompts` prompts of K = 2. */
async function project(name: string, r: number, prompts = 2): Promise<number> {
  const id = (await lead.post('/api/projects', { name, responsesPerPrompt: 2, labelersPerPrompt: r })).body.project.id as number;
  for (const who of [ana, ben]) expect((await lead.post(`/api/projects/${id}/members`, { userId: who.id })).status).toBe(201);
  const lines = Array.from({ length: prompts }, (_, i) => ({ id: `${name}-${i}`, prompt: `Question ${i}?`, responses: [`yes ${i}`, `no ${i}`] }));
  expect((await lead.post(`/api/projects/${id}/import`, jsonl(lines))).status).toBe(200);
  return id;
}

async function hook(projectId: number, events: string[], url = receiver.url, key = secret): Promise<Webhook> {
  const res = await lead.post(`/api/projects/${projectId}/webhooks`, { url, events, secret: key });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.webhook as Webhook;
}

async function rank(client: ApiClient, projectId: number): Promise<{ task: Task; rankingId: number }> {
  const next = await client.post(`/api/projects/${projectId}/tasks/next`);
  expect(next.status).toBe(200);
  const task = next.body.assignment as Task;
  const res = await client.post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((r) => [r.id]) });
  expect(res.status).toBe(201);
  return { task, rankingId: res.body.ranking.id as number };
}

const ofProject = (projectId: number, event?: string) => (all: ReceivedHook[]) => all.filter((h) => h.json.project.id === projectId && (!event || h.json.event === event));

async function deliveries(projectId: number, webhookId: number): Promise<WebhookDelivery[]> {
  const res = await lead.get(`/api/projects/${projectId}/webhooks/${webhookId}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.deliveries as WebhookDelivery[];
}

describe('registering webhooks', () => {
  it('takes only http(s) URLs and a real secret, with the zod issue in a 400', async () => {
    const id = await project('bad-input', 1);
    for (const url of ['ftp://127.0.0.1/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url', 'http://user:pw@127.0.0.1/hook']) {
      const res = await lead.post(`/api/projects/${id}/webhooks`, { url, events: ['ranking.submitted'], secret });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.issues[0].path).toEqual(['url']);
    }
    const short = await lead.post(`/api/projects/${id}/webhooks`, { url: receiver.url, events: ['ranking.submitted'], secret: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0].path).toEqual(['secret']);
    const noEvents = await lead.post(`/api/projects/${id}/webhooks`, { url: receiver.url, events: [], secret });
    expect(noEvents.status).toBe(400);
    const unknown = await lead.post(`/api/projects/${id}/webhooks`, { url: receiver.url, events: ['ranking.deleted'], secret });
    expect(unknown.status).toBe(400);
    expect((await lead.get(`/api/projects/${id}/webhooks`)).body.webhooks).toEqual([]);
  });

  it('a labeler of the project cannot register, list or delete one; an outsider does not see the project', async () => {
    const id = await project('labeler-refused', 1);
    const made = await hook(id, ['ranking.submitted']);
    const body = { url: receiver.url, events: ['ranking.submitted'], secret };
    expect((await ana.client.post(`/api/projects/${id}/webhooks`, body)).status).toBe(403);
    expect((await ana.client.get(`/api/projects/${id}/webhooks`)).status).toBe(403);
    expect((await ana.client.get(`/api/projects/${id}/webhooks/${made.id}/deliveries`)).status).toBe(403);
    expect((await ana.client.delete(`/api/projects/${id}/webhooks/${made.id}`)).status).toBe(403);
    const outsider = await userClient(server, 'olga', 'lead');
    expect((await outsider.client.post(`/api/projects/${id}/webhooks`, body)).status).toBe(404);
    expect((await lead.get(`/api/projects/${id}/webhooks`)).body.webhooks).toHaveLength(1);
  });

  it('never answers with the secret: registering, listing, changing and the delivery log say only secretSet', async () => {
    const id = await project('secret-kept', 1);
    const made = await lead.post(`/api/projects/${id}/webhooks`, { url: receiver.url, events: ['ranking.submitted'], secret });
    const answers = [
      made,
      await lead.get(`/api/projects/${id}/webhooks`),
      await lead.patch(`/api/projects/${id}/webhooks/${made.body.webhook.id}`, { active: true }),
      await lead.get(`/api/projects/${id}/webhooks/${made.body.webhook.id}/deliveries`),
      await server.admin.get(`/api/projects/${id}/webhooks`),
      await server.admin.get('/api/audit'),
    ];
    for (const res of answers) {
      expect(res.status).toBe(res === made ? 201 : 200);
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    expect(made.body.webhook).toMatchObject({ url: receiver.url, events: ['ranking.submitted'], active: true, secretSet: true });
    expect(made.body.webhook).not.toHaveProperty('secret');
  });

  it('deleting removes the hook; deleting again says nothing was deleted', async () => {
    const id = await project('deleted', 1);
    const made = await hook(id, ['ranking.submitted']);
    expect((await lead.delete(`/api/projects/${id}/webhooks/${made.id}`)).body).toEqual({ ok: true, deleted: true });
    expect((await lead.delete(`/api/projects/${id}/webhooks/${made.id}`)).body).toEqual({ ok: true, deleted: false });
    expect((await lead.get(`/api/projects/${id}/webhooks/${made.id}/deliveries`)).status).toBe(404);
    await rank(ana.client, id);
    expect(await server.store.engine.get('SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ?', id)).toEqual({ n: 0 });
  });
});

describe('deliveries', () => {
  it('ranking.submitted: a signed JSON POST the receiver verifies over the raw body', async () => {
    const id = await project('submitted', 2);
    const made = await hook(id, ['ranking.submitted']);
    const { task, rankingId } = await rank(ana.client, id);
    const [got] = ofProject(id)(await receiver.until((all) => ofProject(id)(all).length === 1));
    if (!got) throw new Error('no delivery');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-podium-event']).toBe('ranking.submitted');
    expect(got.headers['x-podium-delivery']).toBe(String(got.json.id));
    expect(verifies(got)).toBe(true);
    expect(verifies(got, 'another-secret-of-enough-length')).toBe(false);
    expect(webhookBodySchema.safeParse(got.json).success).toBe(true);
    expect(got.json).toMatchObject({
      event: 'ranking.submitted',
      project: { id, name: 'submitted' },
      data: { rankingId, assignmentId: task.id, promptId: task.prompt.id, externalId: task.prompt.externalId, labelerId: ana.id, notRankable: false, ranking: task.responses.map((r) => [r.id]) },
    });
    // The log says it went out once, with the receiver's answer.
    await expect.poll(async () => (await deliveries(id, made.id))[0]?.state, { timeout: 20_000 }).toBe('delivered');
    const [logged] = await deliveries(id, made.id);
    expect(logged).toMatchObject({ id: got.json.id, event: 'ranking.submitted', nextAttemptAt: null, attempts: [{ attempt: 1, statusCode: 200, error: null }] });
    const listed = (await lead.get(`/api/projects/${id}/webhooks`)).body.webhooks as Webhook[];
    expect(listed[0]?.deliveries).toEqual({ pending: 0, delivered: 1, failed: 0 });
  });

  it('prompt.completed: once, when the ranking that fills the prompt’s places is stored', async () => {
    const id = await project('completed', 2, 1);
    await hook(id, ['prompt.completed']);
    const first = await rank(ana.client, id);
    // The outbox row would have been written in the submit's own transaction; there is none after one ranking of two.
    expect(await server.store.engine.get('SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ?', id)).toEqual({ n: 0 });
    const second = await rank(ben.client, id);
    expect(second.task.prompt.id).toBe(first.task.prompt.id);
    const [got] = ofProject(id)(await receiver.until((all) => ofProject(id)(all).length >= 1));
    expect(got?.json).toMatchObject({ event: 'prompt.completed', data: { promptId: first.task.prompt.id, externalId: 'completed-0' } });
    expect(got && verifies(got)).toBe(true);
    expect(await server.store.engine.get("SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ? AND event = 'prompt.completed'", id)).toEqual({ n: 1 });
  });

  it('job.finished: a generation job that ends sends its final counts', async () => {
    const id = (await lead.post('/api/projects', { name: 'sampled', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    await lead.post(`/api/projects/${id}/import`, jsonl([{ id: 's1', prompt: 'One?' }, { id: 's2', prompt: 'Two?' }]));
    expect((await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: fake.baseUrl }, policies: [{ model: 'm', count: 2 }] })).status).toBe(200);
    await hook(id, ['job.finished', 'ranking.submitted']);
    const started = await lead.post(`/api/projects/${id}/generation-jobs`, {});
    expect(started.status).toBe(201);
    const [got] = ofProject(id)(await receiver.until((all) => ofProject(id)(all).length === 1));
    expect(got?.headers['x-podium-event']).toBe('job.finished');
    expect(got?.json.data).toMatchObject({ job: { id: started.body.job.id, projectId: id, status: 'done', total: 4, done: 4, failed: 0 } });
    expect(got && verifies(got)).toBe(true);
  });

  it('job.finished: a cancelled job sends it too, once, with status cancelled', async () => {
    const id = (await lead.post('/api/projects', { name: 'cancelled', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    await lead.post(`/api/projects/${id}/import`, jsonl(Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, prompt: `C${i}?` }))));
    expect((await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: fake.baseUrl }, policies: [{ model: 'slow', count: 2 }] })).status).toBe(200);
    await hook(id, ['job.finished']);
    fake.set({ latencyMs: 200 });
    try {
      const started = await lead.post(`/api/projects/${id}/generation-jobs`, { concurrency: 1 });
      expect((await lead.post(`/api/generation-jobs/${started.body.job.id}/cancel`)).status).toBe(200);
      const [got] = ofProject(id)(await receiver.until((all) => ofProject(id)(all).length === 1));
      expect(got?.json.data).toMatchObject({ job: { id: started.body.job.id, status: 'cancelled' } });
      // the runner winding down afterwards (it lets go of the lease last) ends nothing a second time
      await expect.poll(async () => server.store.engine.get('SELECT status, owner FROM generation_jobs WHERE id = ?', started.body.job.id)).toEqual({ status: 'cancelled', owner: null });
      expect(await server.store.engine.get('SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ?', id)).toEqual({ n: 1 });
    } finally {
      fake.set({ latencyMs: 0 });
    }
  });

  it('a receiver answering 500 is tried again later; the log shows both attempts', async () => {
    const id = await project('retried', 1);
    const made = await hook(id, ['ranking.submitted']);
    receiver.answers.push(500);
    await rank(ana.client, id);
    const got = ofProject(id)(await receiver.until((all) => ofProject(id)(all).length === 2));
    expect(got.map((h) => h.json.id)).toEqual([got[0]?.json.id, got[0]?.json.id]);
    // the same bytes, signed the same way, both times
    expect(got[1]?.raw.equals(got[0]?.raw ?? Buffer.alloc(0))).toBe(true);
    await expect.poll(async () => (await deliveries(id, made.id))[0]?.state, { timeout: 20_000 }).toBe('delivered');
    const [logged] = await deliveries(id, made.id);
    expect(logged?.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([[1, 500], [2, 200]]);
    expect(logged?.attempts[0]?.error).toContain('HTTP 500');
  });

  it('gives up after the last attempt and says so', async () => {
    const id = await project('given-up', 1);
    const made = await hook(id, ['ranking.submitted']);
    receiver.answers.push(503, 503, 503);
    await rank(ana.client, id);
    await expect.poll(async () => (await deliveries(id, made.id))[0]?.state, { timeout: 20_000 }).toBe('failed');
    const [logged] = await deliveries(id, made.id);
    expect(logged?.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(logged?.nextAttemptAt).toBeNull();
  });

  it('a receiver that is down is retried like one that refuses', async () => {
    const id = await project('unreachable', 1);
    const down = await startWebhookReceiver();
    const url = down.url;
    await down.close();
    const made = await hook(id, ['ranking.submitted'], url);
    await rank(ana.client, id);
    await expect.poll(async () => (await deliveries(id, made.id))[0]?.attempts.length ?? 0).toBeGreaterThanOrEqual(1);
    const [logged] = await deliveries(id, made.id);
    expect(logged?.attempts[0]).toMatchObject({ statusCode: null });
    expect(logged?.attempts[0]?.error).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('a paused hook gets no events; a new secret signs the next delivery', async () => {
    const id = await project('paused', 2);
    const made = await hook(id, ['ranking.submitted']);
    expect((await lead.patch(`/api/projects/${id}/webhooks/${made.id}`, { active: false })).body.webhook.active).toBe(false);
    await rank(ana.client, id);
    expect(await server.store.engine.get('SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ?', id)).toEqual({ n: 0 });
    const newSecret = 'the-replaced-secret-0123456789';
    const resumed = await lead.patch(`/api/projects/${id}/webhooks/${made.id}`, { active: true, secret: newSecret });
    expect(resumed.status).toBe(200);
    expect(JSON.stringify(resumed.body)).not.toContain(newSecret);
    await rank(ben.client, id);
    const [got] = ofProject(id)(await receiver.until((all) => ofProject(id)(all).length === 1));
    if (!got) throw new Error('no delivery');
    expect(verifies(got, newSecret)).toBe(true);
    expect(verifies(got)).toBe(false);
    expect((await lead.patch(`/api/projects/${id}/webhooks/${made.id}`, {})).status).toBe(400);
    expect((await lead.patch(`/api/projects/${id}/webhooks/${made.id}`, { url: 'gopher://x' })).status).toBe(400);
  });
});

describe('PODIUM_WEBHOOK_HOSTS', () => {
  let narrow: TestServer;
  beforeAll(async () => {
    narrow = await startTestServer({ webhooks: { ...timing, hosts: ['hooks.example.test', 'localhost'] } });
  });
  afterAll(async () => {
    await narrow?.stop();
  });

  it('refuses to register a hook on any other host, loopback addresses included', async () => {
    const id = (await narrow.admin.post('/api/projects', { name: 'narrow', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    const refused = await narrow.admin.post(`/api/projects/${id}/webhooks`, { url: receiver.url, events: ['ranking.submitted'], secret });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'host_not_allowed', issues: [{ path: ['url'] }] });
    expect(refused.body.error.message).toContain('127.0.0.1');
    const allowed = await narrow.admin.post(`/api/projects/${id}/webhooks`, { url: 'https://HOOKS.example.test/podium', events: ['ranking.submitted'], secret });
    expect(allowed.status).toBe(201);
    const moved = await narrow.admin.patch(`/api/projects/${id}/webhooks/${allowed.body.webhook.id}`, { url: 'http://10.0.0.1/podium' });
    expect(moved.status).toBe(400);
  });

  it('refuses to deliver to a host the list no longer allows, and logs why instead of retrying', async () => {
    const id = (await narrow.admin.post('/api/projects', { name: 'narrowed-later', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    await narrow.admin.post(`/api/projects/${id}/import`, jsonl([{ id: 'n1', prompt: 'Q?', responses: ['a', 'b'] }]));
    const made = await narrow.admin.post(`/api/projects/${id}/webhooks`, { url: 'http://localhost:9/hook', events: ['ranking.submitted'], secret });
    expect(made.status).toBe(201);
    // As if it had been registered before the operator narrowed the list: point it at 127.0.0.1 behind the API's back.
    await narrow.store.engine.run('UPDATE webhooks SET url = ? WHERE id = ?', receiver.url, made.body.webhook.id);
    const admin = narrow.admin;
    const task = (await admin.post(`/api/projects/${id}/tasks/next`)).body.assignment as Task;
    expect((await admin.post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((r) => [r.id]) })).status).toBe(201);
    const log = async () => (await admin.get(`/api/projects/${id}/webhooks/${made.body.webhook.id}/deliveries`)).body.deliveries as WebhookDelivery[];
    await expect.poll(async () => (await log())[0]?.state, { timeout: 20_000 }).toBe('failed');
    const [logged] = await log();
    expect(logged?.attempts).toHaveLength(1);
    expect(logged?.attempts[0]).toMatchObject({ statusCode: null });
    expect(logged?.attempts[0]?.error).toContain('not in PODIUM_WEBHOOK_HOSTS');
    expect(ofProject(id)(receiver.received)).toEqual([]);
  });
});
