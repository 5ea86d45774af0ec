import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

// The quality loop in the browser: a labeler whose gold answers disagree is paused and the ranking page says why; the
// lead sees the pause on the dashboard, lifts it, and edits the quality settings, on a desktop and on a 390 px phone.

const adminPassword = 'e2e-admin-password';
const lead = { username: 'lena', password: 'lena-password-123' };
const labeler = { username: 'pat', password: 'pat-password-123' };
const screenshots = join(repoRoot, 'test', 'screenshots');

type Assignment = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

const prompts = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, prompt: `Which is the largest number, ${i}?`, responses: ['3', '2', '1'] })),
  // The known order: "one" best, as written; pat will rank it backwards.
  ...['g1', 'g2'].map((id) => ({ id, prompt: `Pick the first word (${id}).`, responses: ['one', 'two', 'three'], gold: [[0], [1], [2]] })),
];

async function logIn(context: BrowserContext, url: string, who: { username: string; password: string }, next: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/login?next=${next}`);
  await page.fill('input[name=username]', who.username);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`**${next}`);
  return page;
}

describe.skipIf(!hasBrowser)('gold, pause and settings in the browser', () => {
  let product: Product;
  let browser: Browser;
  let projectId: number;
  let patId: number;
  const pageErrors: string[] = [];

  /** Pat ranks over the API: gold prompts backwards, the rest as shown, until the pool answers something else. */
  async function patRanksUntilStopped(): Promise<number> {
    const pat = new ApiClient(product.url);
    await pat.login(labeler.username, labeler.password);
    for (;;) {
      const next = await pat.post(`/api/projects/${projectId}/tasks/next`);
      if (next.status !== 200) return next.status;
      const a = next.body.assignment as Assignment;
      const byWord = ['one', 'two', 'three'].map((w) => a.responses.find((r) => r.text === w)?.id);
      const ranking = a.prompt.externalId.startsWith('g') ? byWord.reverse().map((id) => [id]) : a.responses.map((r) => [r.id]);
      expect((await pat.post(`/api/assignments/${a.id}/submit`, { ranking })).status).toBe(201);
    }
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    const admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    await admin.post('/api/users', { ...lead, role: 'lead' });
    patId = (await admin.post('/api/users', { ...labeler, role: 'labeler' })).body.user.id;
    const leadApi = new ApiClient(product.url);
    await leadApi.login(lead.username, lead.password);
    const created = await leadApi.post('/api/projects', { name: 'Quality loop', responsesPerPrompt: 3, labelersPerPrompt: 2, goldRate: 0.5, goldMinTasks: 1, goldMinTauB: 0.4, maxLabelersPerPrompt: 3 });
    projectId = created.body.project.id;
    expect((await leadApi.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
    expect((await leadApi.post(`/api/projects/${projectId}/members`, { userId: patId })).status).toBe(201);
    expect(await patRanksUntilStopped()).toBe(403);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  for (const [device, viewport] of [['desktop', { width: 1440, height: 1000 }], ['phone', { width: 390, height: 844 }]] as const) {
    it(`a paused labeler sees why on the ranking page (${device})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await logIn(context, product.url, labeler, `/projects/${projectId}/label`);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.waitForSelector('[data-testid=paused]');
      const text = (await page.textContent('[data-testid=paused]')) ?? '';
      expect(text).toContain('You are paused on this project');
      expect(text).toMatch(/mean tau-b -1\.00 over 1 checked task/);
      expect(text).toContain('until a lead lifts the pause');
      expect(await page.locator('.ranking-list').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: join(screenshots, `quality-paused-labeler-${device}.png`), fullPage: true });
      await context.close();
    });
  }

  it('the lead sees the pause on the dashboard (phone width too) and lifts it; the labeler gets tasks again', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const small = await logIn(phone, product.url, lead, `/projects/${projectId}`);
    await small.waitForSelector(`[data-paused=${labeler.username}]`);
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await small.locator('[data-testid=quality]').scrollIntoViewIfNeeded();
    await small.screenshot({ path: join(screenshots, 'quality-dashboard-phone.png'), fullPage: true });
    await phone.close();

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await logIn(context, product.url, lead, `/projects/${projectId}`);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const row = page.locator(`[data-paused=${labeler.username}]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/1 gold task, tau-b -1\.00, top match 0\.00/);
    expect(await page.textContent(`tr[data-labeler=${labeler.username}]`)).toContain('paused');
    await page.locator('[data-testid=quality]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'quality-dashboard-paused.png'), fullPage: true });
    await row.getByRole('button', { name: 'Lift pause' }).click();
    await page.waitForSelector('[data-testid=no-paused]');
    expect(await page.textContent(`tr[data-labeler=${labeler.username}]`)).not.toContain('paused');
    await context.close();

    const patContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const pat = await logIn(patContext, product.url, labeler, `/projects/${projectId}/label`);
    await pat.waitForSelector('.ranking-list > li');
    await patContext.close();
  });

  it('the lead edits the quality settings: a cap below R is refused under its field, a good one is saved', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await logIn(context, product.url, lead, `/projects/${projectId}`);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.getByRole('button', { name: 'Edit quality settings' }).click();
    const form = page.getByRole('form', { name: 'Quality settings' });
    await form.locator('input[name=maxLabelersPerPrompt]').fill('1');
    await form.locator('input[name=goldRate]').fill('0.2');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.field-error').first().waitFor();
    expect(await form.textContent()).toContain('must be at least labelersPerPrompt R (2)');
    await form.screenshot({ path: join(screenshots, 'quality-settings-error.png') });
    await form.locator('input[name=maxLabelersPerPrompt]').fill('4');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForSelector('[data-setting=maxLabelersPerPrompt]');
    expect(await page.textContent('[data-setting=maxLabelersPerPrompt]')).toContain('4');
    expect(await page.textContent('[data-setting=goldRate]')).toContain('0.2');
    await page.locator('[data-testid=quality]').screenshot({ path: join(screenshots, 'quality-settings-saved.png') });
    await context.close();
  });

  it('the lead makes a ranked prompt gold from its consensus on the review page, and clears it again', async () => {
    const leadApi = new ApiClient(product.url);
    await leadApi.login(lead.username, lead.password);
    // The lead ranks one ordinary prompt (skipping any gold one it is handed), so the review page lists it.
    let ranked: { id: number; externalId: string } | null = null;
    while (!ranked) {
      const a = (await leadApi.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as Assignment & { prompt: { id: number } };
      if (a.prompt.externalId.startsWith('g')) await leadApi.post(`/api/assignments/${a.id}/skip`, { reason: 'later' });
      else {
        expect((await leadApi.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) })).status).toBe(201);
        ranked = a.prompt;
      }
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await logIn(context, product.url, lead, `/projects/${projectId}/review?prompt=${ranked.id}`);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const control = page.locator('[data-testid=gold-control]');
    await control.getByRole('button', { name: 'Make gold from consensus' }).click();
    await control.getByRole('button', { name: 'Clear gold' }).waitFor();
    // Earlier tests ranked this prompt too, so its consensus may hold a tie.
    expect(await control.textContent()).toMatch(/gold: [A-C]( [>=] [A-C]){2}/);
    await page.screenshot({ path: join(screenshots, 'quality-review-gold.png') });
    expect((await leadApi.get(`/api/projects/${projectId}`)).body.project.goldPrompts).toBe(3);
    await control.getByRole('button', { name: 'Clear gold' }).click();
    await control.getByRole('button', { name: 'Make gold from consensus' }).waitFor();
    expect((await leadApi.get(`/api/projects/${projectId}`)).body.project.goldPrompts).toBe(2);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
