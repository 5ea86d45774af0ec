import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '../../server/store/store.ts';
import { scratchDatabase } from '../../bench/support/scratch-postgres.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { testEngine } from '../support/test-database.ts';
import type { GenerationJob } from '../../shared/sampling.ts';

type Assignment = { id: number; responses: { id: number }[] };
const adminPassword = 'two-servers-admin-password';

/** The same login on another server: the cookie names a session row both servers read. */
function on(server: Product, client: ApiClient): ApiClient {
  const other = new ApiClient(server.url);
  other.cookie = client.cookie;
  return other;
}

// Several `npm start` processes on one Postgres database behave as one. Postgres only: SQLite is one process's file.
describe.skipIf(testEngine !== 'postgres')('two app servers on one Postgres database', () => {
  let a: Product;
  let b: Product;
  let store: Store;
  let fake: FakeOpenAi;
  let drop: () => Promise<void> = async () => {};
  let admin: ApiClient;

  beforeAll(async () => {
    const db = await scratchDatabase(inject('postgresUrl'), 'podium_two');
    drop = db.drop;
    const env = { PODIUM_DATABASE_URL: db.url, PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' };
    // Started together: the migrations' advisory lock and the first start's admin must cope with the race.
    [a, b] = await Promise.all([startProduct(env), startProduct(env)]);
    store = await openStore({ dbFile: '', databaseUrl: db.url });
    fake = await startFakeOpenAi({ latencyMs: 20 });
    admin = new ApiClient(a.url);
    await admin.login('admin', adminPassword);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), fake?.close()]);
    await store?.close();
    await drop();
  });

  it('both started on the empty database: one admin, one set of migrations', async () => {
    expect(await store.engine.get('SELECT count(*) AS n FROM users')).toEqual({ n: 1 });
    await new ApiClient(b.url).login('admin', adminPassword);
  });

  it('concurrent labelers on different servers never give a prompt more rankings than its places', async () => {
    const r = 2;
    const project = (await admin.post('/api/projects', { name: 'race', responsesPerPrompt: 2, labelersPerPrompt: r })).body.project.id as number;
    const prompts = 6;
    const lines = Array.from({ length: prompts }, (_, i) => ({ id: `p${i}`, prompt: `Q${i}?`, responses: [`p${i}-a`, `p${i}-b`] }));
    expect((await admin.post(`/api/projects/${project}/import`, jsonl(lines))).status).toBe(200);
    const labelers: ApiClient[][] = [];
    for (let i = 0; i < 8; i++) {
      const made = await admin.post('/api/users', { username: `racer${i}`, password: `racer${i}-password`, role: 'labeler' });
      await admin.post(`/api/projects/${project}/members`, { userId: made.body.user.id });
      const onA = new ApiClient(a.url);
      await onA.login(`racer${i}`, `racer${i}-password`);
      // Each labeler alternates between the servers, as a load balancer without affinity would send them.
      labelers.push([onA, on(b, onA)]);
    }
    const work = async ([first, second]: ApiClient[]): Promise<number> => {
      let done = 0;
      for (let turn = 0; ; turn++) {
        const client = (turn % 2 ? second : first) as ApiClient;
        const next = await client.post(`/api/projects/${project}/tasks/next`);
        if (next.status === 204) return done;
        expect(next.status).toBe(200);
        const task = next.body.assignment as Assignment;
        const submit = await ((turn % 2 ? first : second) as ApiClient).post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((x) => [x.id]) });
        expect(submit.status).toBe(201);
        done++;
      }
    };
    const done = await Promise.all(labelers.map(work));
    expect(done.reduce((x, y) => x + y, 0)).toBe(prompts * r);
    const perPrompt = await store.engine.all<{ n: number }>('SELECT count(*) AS n FROM rankings WHERE project_id = ? GROUP BY prompt_id', project);
    expect(perPrompt.map((p) => p.n)).toEqual(Array.from({ length: prompts }, () => r));
  });

  it('a session made on one server works on the other, and logging out on either ends it on both', async () => {
    const onA = new ApiClient(a.url);
    await onA.login('admin', adminPassword);
    const onB = on(b, onA);
    expect((await onB.get('/api/me')).status).toBe(200);
    expect((await onB.post('/api/auth/logout')).status).toBe(200);
    expect((await onA.get('/api/me')).status).toBe(401);
  });

  it('SSE progress of a job running on one server streams from the other until the job ends', async () => {
    const project = (await admin.post('/api/projects', { name: 'sampled', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    await admin.post(`/api/projects/${project}/import`, jsonl(Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, prompt: `S${i}?` }))));
    expect((await admin.put(`/api/projects/${project}/sampling`, { endpoint: { baseUrl: fake.baseUrl }, policies: [{ model: 'm', count: 2 }] })).status).toBe(200);
    const started = await admin.post(`/api/projects/${project}/generation-jobs`, { concurrency: 1 });
    expect(started.status).toBe(201);
    const job = started.body.job as GenerationJob;
    const res = await fetch(`${b.url}/api/generation-jobs/${job.id}/events`, { headers: { cookie: admin.cookie, accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    const text = await res.text(); // the stream closes after the end event
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => ({ event: /event: (\w+)/.exec(block)?.[1], job: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? '{}').job as GenerationJob }));
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ event: 'end', job: { status: 'done', done: 20, total: 20 } });
  });
});
