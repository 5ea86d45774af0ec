import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';
import type { PromptResult } from '../../shared/results.ts';

// A ranking the labeler never touched must not be stored as their judgement, and a long response must not be ranked
// unseen: what a labeler meets on the ranking page.

const adminPassword = 'e2e-admin-password';
const labeler = { username: 'tess', password: 'tess-password-123' };
const lastLine = 'The last line: check the units before you answer.';
const longAnswer = [...Array.from({ length: 60 }, (_, i) => `Step ${i + 1}: keep going with the derivation.`), lastLine].join('\n\n');

const prompts = [
  { id: 't1', prompt: 'Name a colour of the sky.', responses: ['Blue.', 'Grey when it rains.', 'Green.', 'Orange at sunset.'] },
  { id: 't2', prompt: 'Name an even number.', responses: ['2', '7', 'four', '9'] },
  { id: 't3', prompt: 'Derive the speed of a falling stone after 3 s.', responses: [longAnswer, 'About 29 m/s.', '3 m/s.', 'It depends on the stone.'] },
];

const screenshots = join(repoRoot, 'test', 'screenshots');
const currentTask = (page: Page) => page.getAttribute('.task', 'data-assignment-id');
const currentPrompt = async (page: Page) => ((await page.textContent('#prompt-heading')) ?? '').replace(/^Prompt\s*·\s*/, '').trim();
const shownOrder = (page: Page) => page.$$eval('.ranking-list > li', (els) => els.map((el) => Number(el.getAttribute('data-response-id'))));
async function nextTaskShown(page: Page, previous: string | null): Promise<void> {
  await page.waitForFunction((prev) => document.querySelector('.task')?.getAttribute('data-assignment-id') !== prev, previous);
}

describe.skipIf(!hasBrowser)('trustworthy rankings on the ranking page', () => {
  let product: Product;
  let admin: ApiClient;
  let browser: Browser;
  let page: Page;
  let projectId: number;
  let labelerId: number;
  const pageErrors: string[] = [];

  const rankingOf = async (externalId: string) => {
    const res = await admin.get<{ results: PromptResult[] }>(`/api/projects/${projectId}/results?limit=50`);
    return res.body.results.find((r) => r.externalId === externalId)?.rankings.find((r) => r.username === labeler.username);
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    const created = await admin.post('/api/projects', { name: 'Trust', responsesPerPrompt: 4, labelersPerPrompt: 1, allowTies: true });
    projectId = created.body.project.id;
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
    const user = await admin.post('/api/users', { ...labeler, role: 'labeler' });
    labelerId = user.body.user.id;
    expect((await admin.post(`/api/projects/${projectId}/members`, { userId: labelerId })).status).toBe(201);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${product.url}/login?next=/projects/${projectId}/label`);
    await page.fill('input[name=username]', labeler.username);
    await page.fill('input[name=password]', labeler.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.ranking-list > li');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('Enter on an untouched task does not submit: it says what is needed', async () => {
    expect(await currentPrompt(page)).toBe('t1');
    await page.waitForTimeout(450);
    const before = await currentTask(page);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=untouched-note]');
    expect(await page.textContent('[data-testid=untouched-note]')).toContain('Shift+Enter');
    // The button does the same as the key.
    await page.click('button.submit');
    expect(await page.locator('[data-testid=untouched-note]').count()).toBe(1);
    expect(await page.textContent('.key-legend')).toContain('Shift+Enter');
    await page.screenshot({ path: join(screenshots, 'label-untouched-enter.png') });
    await page.waitForTimeout(300);
    expect(await currentTask(page)).toBe(before);
    expect(await rankingOf('t1')).toBeUndefined();
  });

  it('after a move, Enter submits the order on screen', async () => {
    const [a, b, c, d] = (await shownOrder(page)) as [number, number, number, number];
    await page.keyboard.press('Alt+ArrowDown'); // the top card one down: b a c d
    await page.waitForSelector('[data-testid=untouched-note]', { state: 'detached' });
    const before = await currentTask(page);
    await page.keyboard.press('Enter');
    await nextTaskShown(page, before);
    expect((await rankingOf('t1'))?.ranking).toEqual([[b], [a], [c], [d]]);
  });

  it('Shift+Enter submits the order shown as the ranking', async () => {
    expect(await currentPrompt(page)).toBe('t2');
    const shown = await shownOrder(page);
    await page.waitForTimeout(450);
    const before = await currentTask(page);
    await page.keyboard.press('Shift+Enter');
    await nextTaskShown(page, before);
    expect((await rankingOf('t2'))?.ranking).toEqual(shown.map((id) => [id]));
  });

  it('a long response shows that there is more, and expanding it shows its last line (desktop and 390 px)', async () => {
    expect(await currentPrompt(page)).toBe('t3');
    const card = page.locator('.ranking-list > li', { hasText: 'Step 1:' });
    const more = card.locator('button.card-more');
    const last = card.locator('p', { hasText: lastLine });
    const box = card.locator('.card-text');
    const lastIsInside = async () => {
      const [l, b] = await Promise.all([last.boundingBox(), box.boundingBox()]);
      if (!l || !b) throw new Error('no boxes');
      return l.y + l.height <= b.y + b.height + 1;
    };
    await more.waitFor();
    expect(await more.textContent()).toContain('Show all');
    expect(await lastIsInside()).toBe(false);
    // The short answers have nothing to expand.
    expect(await page.locator('button.card-more').count()).toBe(1);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'label-long-folded.png') });

    await more.click();
    await page.waitForSelector('.card-text.is-expanded');
    expect(await lastIsInside()).toBe(true);
    expect(await more.textContent()).toContain('Show less');
    await last.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'label-long-expanded.png') });

    // The key does it too, on the chosen card: fold it again with e, then at phone width expand it with e.
    await card.locator('.card-rail').click();
    await page.keyboard.press('e');
    await page.waitForSelector('.card-text.is-expanded', { state: 'detached' });
    await page.setViewportSize({ width: 390, height: 844 });
    await more.waitFor();
    expect(await lastIsInside()).toBe(false);
    await more.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'label-long-folded-390.png') });
    await page.keyboard.press('e');
    await page.waitForSelector('.card-text.is-expanded');
    expect(await lastIsInside()).toBe(true);
    await last.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'label-long-expanded-390.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('a labeler a lead excludes is told so on the ranking page', async () => {
    const res = await admin.post(`/api/projects/${projectId}/members/${labelerId}/exclusion`, { excluded: true, reason: 'training account' });
    expect(res.status).toBe(200);
    await page.reload();
    await page.waitForSelector('[data-testid=excluded]');
    expect(await page.textContent('[data-testid=excluded]')).toContain('excluded you');
    await page.screenshot({ path: join(screenshots, 'label-excluded.png') });
    expect(pageErrors).toEqual([]);
  });
});
