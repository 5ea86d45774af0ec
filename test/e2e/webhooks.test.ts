import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'webhook-e2e-admin-password';
const screenshots = join(repoRoot, 'test', 'screenshots');
const phone = { width: 390, height: 844 };

describe.skipIf(!hasBrowser)('webhooks on the project page in Chromium', () => {
  let product: Product;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;
  let projectId = 0;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [product, receiver] = await Promise.all([
      startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0', PODIUM_WEBHOOK_POLL_MS: '50', PODIUM_WEBHOOK_RETRY_MS: '300' }),
      startWebhookReceiver(),
    ]);
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    projectId = (await admin.post('/api/projects', { name: 'Hooked', responsesPerPrompt: 2, labelersPerPrompt: 1 })).body.project.id as number;
    await admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'w1', prompt: 'Is this hooked?', responses: ['Yes.', 'No.'] }]));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([product?.stop(), receiver?.close()]);
  });

  it('adds a webhook through the form, then shows its deliveries, a refused attempt and the retry that got through', async () => {
    await logInInBrowser(page, product.url, 'admin', adminPassword);
    await page.goto(`${product.url}/projects/${projectId}`);
    const card = page.locator('section[aria-labelledby=webhooks-title]');
    await card.getByText('No webhooks yet.').waitFor();

    // A bad URL is refused by the server, with the reason under the field.
    await page.fill('input[name=webhookUrl]', 'ftp://127.0.0.1/hook');
    await page.click('button:has-text("Generate")');
    // the browser's own URL check lets ftp: through (it is a URL), so this is the server's answer
    await page.click('button:has-text("Add webhook")');
    await expect.poll(() => card.locator('label:has(input[name=webhookUrl]) .field-error').textContent()).toContain('http:// or https://');

    await page.fill('input[name=webhookUrl]', receiver.url);
    await page.check('input[name="event-prompt.completed"]');
    const secret = await page.inputValue('input[name=webhookSecret]');
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.click('button:has-text("Add webhook")');
    const item = card.locator('li.webhook');
    await item.getByText(receiver.url).waitFor();
    expect(await item.locator('.pill').allTextContents()).toEqual(['ranking.submitted', 'prompt.completed']);
    // the form is empty again and the secret is nowhere on the page any more
    expect(await page.inputValue('input[name=webhookSecret]')).toBe('');
    expect(await page.content()).not.toContain(secret);

    // A labeler ranks the one prompt: a submission and a completion; the receiver refuses the first POST once.
    receiver.answers.push(500);
    const made = await admin.post('/api/users', { username: 'wanda', password: 'wanda-password', role: 'labeler' });
    await admin.post(`/api/projects/${projectId}/members`, { userId: made.body.user.id });
    const labeler = new ApiClient(product.url);
    await labeler.login('wanda', 'wanda-password');
    const task = (await labeler.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as { id: number; responses: { id: number }[] };
    expect((await labeler.post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((r) => [r.id]) })).status).toBe(201);
    await receiver.until((all) => all.filter((h) => h.json.project.id === projectId).length === 3);
    for (const hook of receiver.received) {
      expect(hook.headers['x-podium-signature']).toBe(`sha256=${createHmac('sha256', secret).update(hook.raw).digest('hex')}`);
    }

    await item.getByRole('button', { name: 'Deliveries' }).click();
    const rows = item.locator('table.delivery-log tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => item.locator('tr[data-state=delivered]').count(), { timeout: 15_000 }).toBe(2);
    const retried = item.locator('tr[data-delivery]').filter({ has: page.locator('.attempt-list li:nth-child(2)') });
    await expect.poll(() => retried.count()).toBe(1);
    const attempts = await retried.locator('.attempt-list li').allTextContents();
    expect(attempts[0]).toMatch(/#1 .*· 500 · .*HTTP 500: receiver says 500/);
    expect(attempts[1]).toMatch(/#2 .*· 200 · /);
    await expect.poll(() => item.locator('[data-counts]').textContent(), { timeout: 15_000 }).toContain('2 delivered · 0 pending · 0 failed');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(screenshots, 'webhooks-desktop.png') });
  });

  it('fits a 390 px phone, each delivery a block with its attempts below', async () => {
    await page.setViewportSize(phone);
    const card = page.locator('section[aria-labelledby=webhooks-title]');
    await card.locator('table.delivery-log').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(screenshots, 'webhooks-phone.png') });
  });

  it('pauses and deletes a webhook', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const item = page.locator('li.webhook');
    await item.getByRole('button', { name: 'Pause' }).click();
    await item.locator('.pill:has-text("paused")').waitFor();
    await item.getByRole('button', { name: 'Resume' }).waitFor();
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
    await item.getByRole('button', { name: 'Delete it and its log' }).click();
    await page.getByText('No webhooks yet.').waitFor();
    expect((await admin.get(`/api/projects/${projectId}/webhooks`)).body.webhooks).toEqual([]);
  });
});
