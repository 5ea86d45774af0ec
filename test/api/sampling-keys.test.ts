import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminPassword, jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import type { GenerationJob } from '../../shared/sampling.ts';

// Two listeners: the endpoint an admin set up, and one a lead would like the server's secrets sent to.
const storedKey = 'sk-admin-stored-key-0123456789';
const envKey = 'sk-operator-env-key-9876543210';
const policies = [{ model: 'keys', count: 2 }];

let server: TestServer;
let real: FakeOpenAi;
let listener: FakeOpenAi;
let lead: ApiClient;
const savedEnv = { ...process.env };
beforeAll(async () => {
  // the server process holds its admin password and an operator's key in its environment, as a deployment does
  process.env.PODIUM_ADMIN_PASSWORD = adminPassword;
  process.env.PODIUM_KEY_TEST_OPERATOR = envKey;
  [server, real, listener] = await Promise.all([startTestServer(), startFakeOpenAi(), startFakeOpenAi()]);
  lead = (await userClient(server, 'keys-lead', 'lead')).client;
});
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([server?.stop(), real?.close(), listener?.close()]);
});
beforeEach(() => {
  real.reset();
  listener.reset();
});

/** Everything the listener was sent, headers and bodies, as one string to search for secrets. */
const heardByListener = () => JSON.stringify(listener.requests);

async function project(prompts = 2): Promise<number> {
  const created = await lead.post('/api/projects', { name: `keys ${Math.random()}`, responsesPerPrompt: 2, labelersPerPrompt: 1 });
  const id = created.body.project.id as number;
  expect((await lead.post(`/api/projects/${id}/import`, jsonl(Array.from({ length: prompts }, (_, i) => ({ id: `k${i}`, prompt: `Key ${i}?` }))))).status).toBe(200);
  return id;
}

async function sampleAll(id: number): Promise<GenerationJob> {
  const started = await lead.post(`/api/projects/${id}/generation-jobs`, {});
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await lead.get(`/api/generation-jobs/${started.body.job.id}`)).body.job as GenerationJob;
    if (['done', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sampling keys go only where they were stored for', () => {
  it('a lead cannot name the admin password (or any variable) as the key, and the listener never gets it', async () => {
    const id = await project();
    for (const apiKeyEnv of ['PODIUM_ADMIN_PASSWORD', 'HOME', 'podium_key_lower']) {
      const put = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKeyEnv }, policies });
      expect(put.status).toBe(400);
      expect(put.body.error.issues[0].path).toEqual(['endpoint', 'apiKeyEnv']);
      expect(put.body.error.message + JSON.stringify(put.body.error.issues)).toContain('PODIUM_KEY_');
    }
    // not even an admin may name a variable outside the prefix
    expect((await server.admin.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKeyEnv: 'PODIUM_ADMIN_PASSWORD' }, policies })).status).toBe(400);

    const allowed = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR' }, policies });
    expect(allowed.status).toBe(403);
    expect(allowed.body.error.message).toContain('only an admin');
    expect((await lead.get(`/api/projects/${id}/sampling`)).body.settings).toBeNull(); // nothing stored

    expect((await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl }, policies })).status).toBe(200);
    expect((await lead.post(`/api/projects/${id}/sampling/test`)).body.result.ok).toBe(true);
    await sampleAll(id);
    expect(listener.requests.length).toBeGreaterThan(0);
    expect(listener.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(heardByListener()).not.toContain(adminPassword);
    expect(heardByListener()).not.toContain(envKey);
  });

  it("a lead who changes only the URL drops the admin's stored key instead of sending it to the new one", async () => {
    const id = await project();
    const stored = await server.admin.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: real.baseUrl, apiKey: storedKey }, policies });
    expect(stored.body.settings.endpoint.hasApiKey).toBe(true);

    // the same endpoint written another way keeps the key: it still goes to the same place
    const same = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: `${real.baseUrl}/` }, policies, systemPrompt: 'Be brief.' });
    expect(same.status).toBe(200);
    expect(same.body.settings.endpoint.hasApiKey).toBe(true);
    expect(same.body.dropped).toEqual({ apiKey: false, apiKeyEnv: false });
    expect((await lead.post(`/api/projects/${id}/sampling/test`)).body.result.ok).toBe(true);
    expect(real.requests[0]?.headers.authorization).toBe(`Bearer ${storedKey}`);

    const moved = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl }, policies });
    expect(moved.status).toBe(200);
    expect(moved.body.settings.endpoint.hasApiKey).toBe(false);
    expect(moved.body.dropped).toEqual({ apiKey: true, apiKeyEnv: false });
    expect((await lead.post(`/api/projects/${id}/sampling/test`)).body.result.ok).toBe(true);
    await sampleAll(id);
    // moving back does not bring the key back either
    expect((await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: real.baseUrl }, policies })).body.settings.endpoint.hasApiKey).toBe(false);
    expect(listener.requests.length).toBeGreaterThan(1);
    expect(listener.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(heardByListener()).not.toContain(storedKey);

    // a key that comes with the new URL in the same request is that URL's key
    const withKey = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKey: 'sk-lead-own-key' }, policies });
    expect(withKey.body.settings.endpoint.hasApiKey).toBe(true);
    listener.reset();
    await lead.post(`/api/projects/${id}/sampling/test`);
    expect(listener.requests[0]?.headers.authorization).toBe('Bearer sk-lead-own-key');
  });

  it("a lead keeps the admin's key variable while the URL stays, and cannot carry it to another URL", async () => {
    const id = await project();
    const set = await server.admin.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: real.baseUrl, apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR' }, policies });
    expect(set.body.settings.endpoint).toMatchObject({ apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR', apiKeyEnvSet: true, hasApiKey: false });

    // the form sends the variable back unchanged with other edits: that is no change
    const edited = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: real.baseUrl, apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR' }, policies, maxRetries: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body.settings).toMatchObject({ maxRetries: 1, endpoint: { apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR' } });
    const omitted = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: real.baseUrl }, policies });
    expect(omitted.body.settings.endpoint.apiKeyEnv).toBe('PODIUM_KEY_TEST_OPERATOR');
    await sampleAll(id);
    expect(real.requests.length).toBeGreaterThan(0);
    expect(real.requests.every((r) => r.headers.authorization === `Bearer ${envKey}`)).toBe(true);

    const carried = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR' }, policies });
    expect(carried.status).toBe(403);
    expect(carried.body.error.message).toContain('new base URL');
    expect((await lead.get(`/api/projects/${id}/sampling`)).body.settings.endpoint.baseUrl).toBe(real.baseUrl);

    const moved = await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl }, policies });
    expect(moved.status).toBe(200);
    expect(moved.body.settings.endpoint).toMatchObject({ apiKeyEnv: null, apiKeyEnvSet: false });
    expect(moved.body.dropped.apiKeyEnv).toBe(true);
    await lead.post(`/api/projects/${id}/sampling/test`);
    expect(listener.requests.length).toBeGreaterThan(0);
    expect(heardByListener()).not.toContain(envKey);

    // an admin may bind the variable to the new URL on purpose
    const rebound = await server.admin.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKeyEnv: 'PODIUM_KEY_TEST_OPERATOR' }, policies });
    expect(rebound.status).toBe(200);
  });

  it('a variable outside the prefix, stored before this rule, is never read nor reported', async () => {
    const id = await project();
    expect((await lead.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl }, policies })).status).toBe(200);
    // what an older version let a lead store
    await server.store.engine.run("UPDATE sampling_settings SET api_key_env = 'PODIUM_ADMIN_PASSWORD' WHERE project_id = ?", id);
    const got = await lead.get(`/api/projects/${id}/sampling`);
    expect(got.body.settings.endpoint).toMatchObject({ apiKeyEnv: 'PODIUM_ADMIN_PASSWORD', apiKeyEnvSet: false });
    const test = await lead.post(`/api/projects/${id}/sampling/test`);
    expect(test.body.result).toMatchObject({ ok: false });
    expect(test.body.result.message).toContain('PODIUM_KEY_');
    const start = await lead.post(`/api/projects/${id}/generation-jobs`, {});
    expect(start.status).toBe(400);
    expect(start.body.error.code).toBe('missing_api_key');
    expect(listener.requests).toHaveLength(0);

    // apiKeyEnvSet says whether the allowed variable is set, nothing else
    await server.admin.put(`/api/projects/${id}/sampling`, { endpoint: { baseUrl: listener.baseUrl, apiKeyEnv: 'PODIUM_KEY_TEST_UNSET' }, policies });
    expect((await lead.get(`/api/projects/${id}/sampling`)).body.settings.endpoint).toMatchObject({ apiKeyEnv: 'PODIUM_KEY_TEST_UNSET', apiKeyEnvSet: false });
  });
});
