import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '../../server/store/store.ts';
import { scratchDatabase } from '../../bench/support/scratch-postgres.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { testEngine } from '../support/test-database.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const adminPassword = 'two-servers-webhook-password';

// Both servers run a deliverer over the same outbox: each event must reach the receiver once, never twice. Postgres
// only, as test/api/two-servers.test.ts: SQLite is one process's file.
describe.skipIf(testEngine !== 'postgres')('webhooks from two app servers on one Postgres database', () => {
  let a: Product;
  let b: Product;
  let store: Store;
  let receiver: WebhookReceiver;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await scratchDatabase(inject('postgresUrl'), 'podium_hooks_two');
    drop = db.drop;
    // Both poll often, so they race for every row.
    const env = { PODIUM_DATABASE_URL: db.url, PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0', PODIUM_WEBHOOK_POLL_MS: '10' };
    [a, b] = await Promise.all([startProduct(env), startProduct(env)]);
    store = await openStore({ dbFile: '', databaseUrl: db.url });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), receiver?.close()]);
    await store?.close();
    await drop();
  });

  it('deliver each event exactly once while labelers submit through both', async () => {
    const admin = new ApiClient(a.url);
    await admin.login('admin', adminPassword);
    const prompts = 12;
    const r = 2;
    const project = (await admin.post('/api/projects', { name: 'hooked', responsesPerPrompt: 2, labelersPerPrompt: r })).body.project.id as number;
    await admin.post(`/api/projects/${project}/import`, jsonl(Array.from({ length: prompts }, (_, i) => ({ id: `h${i}`, prompt: `H${i}?`, responses: [`x${i}`, `y${i}`] }))));
    // Registered on one server, in force on both from the next submit on.
    const hook = await admin.post(`/api/projects/${project}/webhooks`, { url: receiver.url, events: ['ranking.submitted', 'prompt.completed'], secret: 'two-servers-secret-0123456789' });
    expect(hook.status).toBe(201);
    const labelers: ApiClient[][] = [];
    for (let i = 0; i < 4; i++) {
      const made = await admin.post('/api/users', { username: `hooker${i}`, password: `hooker${i}-password`, role: 'labeler' });
      await admin.post(`/api/projects/${project}/members`, { userId: made.body.user.id });
      const onA = new ApiClient(a.url);
      await onA.login(`hooker${i}`, `hooker${i}-password`);
      const onB = new ApiClient(b.url);
      onB.cookie = onA.cookie;
      labelers.push([onA, onB]);
    }
    const work = async (sides: ApiClient[]): Promise<void> => {
      for (let turn = 0; ; turn++) {
        const client = sides[turn % 2] as ApiClient;
        const next = await client.post(`/api/projects/${project}/tasks/next`);
        if (next.status === 204) return;
        const task = next.body.assignment as { id: number; responses: { id: number }[] };
        expect((await client.post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((x) => [x.id]) })).status).toBe(201);
      }
    };
    await Promise.all(labelers.map(work));
    const events = prompts * r + prompts;
    expect(await store.engine.get('SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ?', project)).toEqual({ n: events });
    // Settled: every row delivered and nobody holds one, so no POST is still on its way.
    await expect
      .poll(async () => store.engine.get("SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = ? AND state = 'delivered' AND owner IS NULL", project), { timeout: 30_000 })
      .toEqual({ n: events });
    const ids = receiver.received.filter((h) => h.json.project.id === project).map((h) => h.json.id);
    expect(ids).toHaveLength(events);
    expect(new Set(ids).size).toBe(events);
    const attempts = await store.engine.get<{ n: number }>('SELECT count(*) AS n FROM webhook_attempts');
    expect(attempts?.n).toBe(events);
  });
});
