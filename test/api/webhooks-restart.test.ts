import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killProcessGroup, startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { freshDatabase, type TestDatabase } from '../support/test-database.ts';
import { openStore } from '../../server/store/store.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookDelivery } from '../../shared/webhooks.ts';

const adminPassword = 'webhook-restart-admin-password';
const secret = 'restart-test-secret-0123456789';
const started: Product[] = [];
let receiver: WebhookReceiver | undefined;
let database: TestDatabase | undefined;
let dir = '';

afterAll(async () => {
  for (const p of started) await p.stop();
  await receiver?.close();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


describe('webhook events of a server killed with its whole process group', () => {
  it('stay in the outbox and are delivered by the next server on the same database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-webhook-restart-'));
    database = await freshDatabase(dir);
    const env = { ...database.env, PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0', PODIUM_WEBHOOK_POLL_MS: '25', PODIUM_WEBHOOK_RETRY_MS: '200', PODIUM_WEBHOOK_RETRY_MAX_MS: '800', PODIUM_WEBHOOK_MAX_ATTEMPTS: '100', PODIUM_WEBHOOK_TIMEOUT_MS: '1000' };
    // (a delivery in flight at the kill waits out its lease, the timeout plus 5 s, before the next server takes it)
    const existing = { dir, dbFile: database.target.dbFile };
    receiver = await startWebhookReceiver();
    const hooks = receiver;
    hooks.status = 500; // the receiver is having a bad day: nothing is delivered before the kill

    const first = await startProduct(env, existing, { detached: true });
    started.push(first);
    const admin = new ApiClient(first.url);
    await admin.login('admin', adminPassword);
    const projectId = (await admin.post('/api/projects', { name: 'restart', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    const n = 5;
    await admin.post(`/api/projects/${projectId}/import`, jsonl(Array.from({ length: n }, (_, i) => ({ id: `r${i}`, prompt: `Q${i}?`, responses: [`a${i}`, `b${i}`] }))));
    const hook = await admin.post(`/api/projects/${projectId}/webhooks`, { url: hooks.url, events: ['ranking.submitted', 'prompt.completed'], secret });
    expect(hook.status).toBe(201);
    for (let i = 0; i < n; i++) {
      const task = (await admin.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as { id: number; responses: { id: number }[] };
      expect((await admin.post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((r) => [r.id]) })).status).toBe(201);
    }
    // Every event (a submit and a completion per prompt) was tried and refused at least once.
    await hooks.until((all) => new Set(all.map((h) => h.json.id)).size === 2 * n);
    await killProcessGroup(first);

    const store = await openStore(database.target);
    try {
      const left = await store.engine.all<{ state: string; n: number }>('SELECT state, count(*) AS n FROM webhook_deliveries GROUP BY state');
      expect(left).toEqual([{ state: 'pending', n: 2 * n }]);
    } finally {
      await store.close();
    }

    hooks.status = 200;
    const refusedBefore = hooks.received.length;
    const second = await startProduct(env, existing, { detached: true });
    started.push(second);
    await hooks.until((all) => new Set(all.filter((h, i) => i >= refusedBefore).map((h) => h.json.id)).size === 2 * n);
    const again = new ApiClient(second.url);
    await again.login('admin', adminPassword);
    const log = async () => (await again.get(`/api/projects/${projectId}/webhooks/${hook.body.webhook.id}/deliveries`)).body.deliveries as WebhookDelivery[];
    await expect.poll(async () => (await log()).every((d) => d.state === 'delivered'), { timeout: 20_000 }).toBe(true);
    const deliveries = await log();
    expect(deliveries).toHaveLength(2 * n);
    expect(deliveries.filter((d) => d.event === 'prompt.completed')).toHaveLength(n);
    for (const d of deliveries) {
      const codes = d.attempts.map((a) => a.statusCode);
      expect(codes.at(-1)).toBe(200);
      // the refusals logged before the kill (one refused while the kill came may have missed its log line)
      expect(codes.slice(0, -1).every((c) => c === 500)).toBe(true);
    }
    expect(deliveries.filter((d) => d.attempts.length > 1).length).toBeGreaterThan(0);
  });
});
