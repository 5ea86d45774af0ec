import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';
import type { Leaderboard } from '../../shared/leaderboard.ts';

const adminPassword = 'admin-password-1';
const screenshots = join(repoRoot, 'test', 'screenshots');
const models = ['llama-3.1-8b-sft-v3', 'llama-3.1-8b-sft-v2', 'mistral-7b-base'];

type Task = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

describe.skipIf(!hasBrowser)('leaderboard page in Chromium', () => {
  let product: Product;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;
  let projectId = 0;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    const created = await admin.post('/api/projects', { name: 'Checkpoints', responsesPerPrompt: 3, labelersPerPrompt: 2 });
    projectId = created.body.project.id;
    const lines = Array.from({ length: 10 }, (_, i) => ({ id: `q${i}`, prompt: `Question ${i}?`, responses: models.map((m, k) => ({ text: `answer ${k} to ${i}`, model: m })) }));
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
    for (const name of ['ana', 'ben']) {
      const user = await admin.post('/api/users', { username: name, password: `${name}-password-1`, role: 'labeler' });
      expect((await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id })).status).toBe(201);
      const client = new ApiClient(product.url);
      await client.login(name, `${name}-password-1`);
      for (let i = 0; ; i++) {
        const next = await client.post(`/api/projects/${projectId}/tasks/next`);
        if (next.status === 204) break;
        const task = next.body.assignment as Task;
        // Best first by the answer's index (v3, v2, base), but every third of ben's puts v2 on top and some ties.
        const byIndex = [...task.responses].sort((a, b) => a.text.localeCompare(b.text)).map((r) => r.id);
        const ranking = name === 'ben' && i % 3 === 0 ? [[byIndex[1]!], [byIndex[0]!, byIndex[2]!]] : byIndex.map((id) => [id]);
        expect((await client.post(`/api/assignments/${task.id}/submit`, { ranking })).status).toBe(201);
      }
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    await logInInBrowser(page, product.url, 'admin', adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('is linked from the dashboard and shows the API’s ranking, intervals, counts and win rates', async () => {
    const board = (await admin.get(`/api/projects/${projectId}/leaderboard`)).body as Leaderboard;
    expect(board.entries.map((e) => e.name)).toEqual(models);
    await page.goto(`${product.url}/projects/${projectId}`);
    await page.click('a:has-text("Leaderboard")');
    await page.waitForURL(`**/projects/${projectId}/leaderboard`);
    await page.waitForSelector('tr[data-entry]');
    expect(await page.locator('tr[data-entry]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry')))).toEqual(models);
    const best = board.entries[0]!;
    const row = page.locator(`tr[data-entry="${best.name}"]`);
    expect(await row.locator('[data-elo]').textContent()).toBe(String(Math.round(best.elo)));
    expect(await row.textContent()).toContain(`${Math.round(best.ci![0])}–${Math.round(best.ci![1])}`);
    expect(await row.locator('td').nth(3).textContent()).toBe(String(best.wins));
    expect(await row.locator('td').nth(5).textContent()).toBe(String(best.ties));
    expect(await page.textContent('[data-summary]')).toContain(`${board.outcomes} pairwise outcomes from ${board.prompts} prompts`);
    // The matrix: every ordered pair once, row against column.
    expect(await page.locator('.win-rate td[data-pair]').count()).toBe(6);
    const rate = board.winRate[models[0]!]![models[2]!]!;
    expect(await page.textContent(`.win-rate td[data-pair="${models[0]}:${models[2]}"]`)).toBe(`${Math.round(rate * 100)}%`);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(screenshots, 'leaderboard.png'), fullPage: true });
  });

  it('switches to sampling policies and stays readable at 390 px', async () => {
    await page.click('button:has-text("By sampling policy")');
    await expect.poll(() => page.getAttribute('button:has-text("By sampling policy")', 'aria-pressed')).toBe('true');
    await expect.poll(() => page.textContent('thead th:nth-child(2)')).toBe('Policy');
    // Imported responses carry no sampling parameters: each policy is its model.
    expect(await page.locator('tr[data-entry]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry')))).toEqual(models);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshots, 'leaderboard-390.png'), fullPage: true });
    // Wide tables scroll inside their card; the page itself never runs off the screen (the shared header is the layout's).
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest('.table-scroll')).map((el) => `${el.tagName}.${el.className}`),
    );
    expect(wide).toEqual([]);
  });
});
