import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hasBrowser } from '../support/browser.ts';
import { screenshots, startAdminBrowser, type AdminBrowser } from '../support/admin-browser.ts';
import { type ApiClient, jsonl } from '../support/test-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';

/** A lead sets up sampling on the dashboard, tests the endpoint and samples every missing response, by the form alone. */
describe.skipIf(!hasBrowser)('sampling panel in Chromium', () => {
  let session: AdminBrowser;
  let fake: FakeOpenAi;
  let page: Page;
  let admin: ApiClient;
  let projectId = 0;
  const url = () => session.product.url;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ latencyMs: 5 });
    session = await startAdminBrowser();
    ({ page, admin } = session);
    const created = await admin.post('/api/projects', { name: 'To sample', responsesPerPrompt: 3, labelersPerPrompt: 1 });
    projectId = created.body.project.id;
    const lines = [{ id: 'has1', prompt: 'One imported?', responses: ['imported answer'] }, ...[0, 1].map((i) => ({ id: `none${i}`, prompt: `None imported ${i}?` }))];
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
  });
  afterAll(async () => {
    await session?.stop();
    await fake?.close();
  });

  it('saves the endpoint and two policies, tests the connection, and samples the missing responses with progress', async () => {
    await page.goto(`${url()}/projects/${projectId}`);
    const form = page.getByRole('form', { name: 'Sampling settings' });
    await form.waitFor();
    await form.getByLabel('Endpoint base URL').fill(fake.baseUrl);
    // One policy to start with, all K responses; a second takes what is left, a third is removed again.
    expect(await form.getByLabel('count of policy 1').inputValue()).toBe('3');
    await form.getByLabel('model of policy 1').fill('sft-a');
    await form.getByLabel('count of policy 1').fill('2');
    await form.getByRole('button', { name: 'Add a policy' }).click();
    expect(await form.getByLabel('count of policy 2').inputValue()).toBe('1');
    await form.getByLabel('model of policy 2').fill('sft-b');
    await form.getByLabel('seed of policy 2').fill('7');
    await form.getByRole('button', { name: 'Add a policy' }).click();
    await form.getByRole('button', { name: 'remove' }).nth(2).click();
    expect(await form.locator('.policy-table tbody tr').count()).toBe(2);
    expect(await form.locator('.section-label').textContent()).toContain('counts must add up to K = 3; now 3');
    await form.getByRole('button', { name: 'Save settings' }).click();

    const panel = page.locator('section[aria-labelledby=sampling-title]');
    await expect.poll(() => panel.textContent()).toContain('2× sft-a at T=1 · 1× sft-b at T=1, seed 7+i');
    const saved = (await admin.get(`/api/projects/${projectId}/sampling`)).body.settings;
    expect(saved.policies).toEqual([
      { model: 'sft-a', count: 2, temperature: 1 },
      { model: 'sft-b', count: 1, temperature: 1, seed: 7 },
    ]);
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => panel.locator('[role=status]').textContent()).toMatch(/answered in \d+ ms/);

    await panel.getByRole('button', { name: 'Sample missing responses' }).click();
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain(': done');
    // has1 needs two more, each of the others three.
    expect(await panel.textContent()).toContain('8 sampled');
    expect(await panel.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('8');
    await page.screenshot({ path: join(screenshots, 'sampling-panel.png'), fullPage: true });
  });
});
