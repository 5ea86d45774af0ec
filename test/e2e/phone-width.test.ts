import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser, overflowing } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'admin-password-1';
const screenshots = join(repoRoot, 'test', 'screenshots');
const phone = { width: 390, height: 844 };

type Task = { id: number; responses: { id: number }[]; criteria: { key: string }[] };


describe.skipIf(!hasBrowser)('every page but the ranking page on a 390 px phone, and a quiet console', () => {
  let product: Product;
  let browser: Browser;
  let projectId = 0;
  let demoPassword = '';

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    // The demo product, as a new user meets it; its three labelers rank a few prompts so every page has content.
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword });
    // The start-up lines may still be on their way when the address is printed.
    for (let i = 0; i < 100 && !demoPassword; i++) {
      demoPassword = /share the password (\S+)/.exec(product.output())?.[1] ?? '';
      if (!demoPassword) await new Promise((r) => setTimeout(r, 100));
    }
    expect(demoPassword, product.output()).not.toBe('');
    const admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    projectId = (await admin.get('/api/projects')).body.projects[0].id;
    for (const [n, name] of ['ana', 'ben', 'chloe'].entries()) {
      const client = new ApiClient(product.url);
      await client.login(name, demoPassword);
      for (let i = 0; i < 4; i++) {
        const next = await client.post(`/api/projects/${projectId}/tasks/next`);
        const task = next.body.assignment as Task;
        const ids = task.responses.map((r) => r.id).sort((a, b) => a - b);
        if ((i + n) % 2) ids.reverse();
        const comment = i === 0 ? 'B is better than A; C is off topic.' : '';
        // The demo ranks by two criteria (helpfulness, harmlessness): one ranking for each.
        const rankings = Object.fromEntries(task.criteria.map((c) => [c.key, ids.map((id) => [id])]));
        expect((await client.post(`/api/assignments/${task.id}/submit`, { rankings, comment, durationMs: 20_000 })).status).toBe(201);
      }
    }
    await admin.post('/api/users', { username: 'newcomer', password: 'newcomer-password-1', role: 'labeler' });
    // An audit entry per download.
    await admin.get(`/api/projects/${projectId}/export?format=trl&strategy=all`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('logs nothing to the console on a visit to the login page, logged out', async () => {
    const page = await browser.newPage({ viewport: phone });
    const errors: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning' ? errors.push(`${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await page.goto(`${product.url}/projects`);
    await page.waitForURL('**/login**');
    await page.waitForSelector('input[name=username]');
    await page.goto(`${product.url}/login`);
    await page.waitForSelector('input[name=username]');
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells a user without a project who adds them', async () => {
    const page = await browser.newPage({ viewport: phone });
    await logInInBrowser(page, product.url, 'newcomer', 'newcomer-password-1');
    const note = page.locator('[data-empty=no-projects]');
    await note.waitFor();
    expect(await note.textContent()).toContain('A project lead or an admin adds labelers');
    expect(await note.textContent()).toContain('newcomer');
    await page.screenshot({ path: join(screenshots, 'phone-no-project.png'), fullPage: true });
    await page.close();
  });

  const pages: [string, string, string][] = [
    ['projects', '/projects', '.grid-cards .card'],
    ['dashboard', '/projects/:id', '.progress-stats'],
    ['results', '/projects/:id/results', '.prompt-result'],
    ['agreement', '/projects/:id/agreement', '.labeler-table'],
    ['review', '/projects/:id/review', '.review-row'],
    ['export', '/projects/:id/export', '.export-settings'],
    ['admin', '/admin', '.audit-table'],
    ['account', '/account', '.session-list'],
  ];

  it('fits every page into 390 px, the header with Log out included, and looks right at desktop width', async () => {
    const context = await browser.newContext({ viewport: phone, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await logInInBrowser(page, product.url, 'admin', adminPassword);
    const tooWide: Record<string, { scrollWidth: number; culprits: string[] }> = {};
    for (const [name, path, ready] of pages) {
      await page.setViewportSize(phone);
      await page.goto(product.url + path.replace(':id', String(projectId)));
      await page.waitForSelector(ready);
      await page.waitForLoadState('networkidle');
      if (name === 'admin') {
        // The download above is one sentence with the project's name and its line count, not two rows of JSON.
        await page.waitForSelector('.audit-sentence:has-text("downloaded")');
        const downloads = await page.locator('.audit-sentence', { hasText: 'export' }).allTextContents();
        expect(downloads).toEqual([expect.stringMatching(/^admin downloaded the trl export \(all pairs\) of project “Podium demo[^”]*”: [\d,]+ lines?$/)]);
      }
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > phone.width) tooWide[name] = { scrollWidth, culprits: await overflowing(page) };
      const logout = await page.locator('.topbar button:has-text("Log out")').boundingBox();
      if (!logout || logout.x + logout.width > phone.width) tooWide[`${name}: Log out`] = { scrollWidth, culprits: ['off screen'] };
      await page.screenshot({ path: join(screenshots, `phone-${name}.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: join(screenshots, `desktop-${name}.png`), fullPage: true });
    }
    expect(tooWide).toEqual({});
    await context.close();
  });

  it('opens Exclude on the agreement page without widening the labeler table or hiding its first column', async () => {
    for (const viewport of [phone, { width: 1280, height: 900 }]) {
      const page = await browser.newPage({ viewport });
      await logInInBrowser(page, product.url, 'admin', adminPassword);
      await page.goto(`${product.url}/projects/${projectId}/agreement`);
      const table = page.locator('.labeler-table');
      await table.waitFor();
      const before = await table.boundingBox();
      await page.click('tr[data-labeler=ana] button:has-text("Exclude")');
      await page.waitForSelector('tr[data-labeler=ana] .reason-form input');
      const after = await table.boundingBox();
      expect(after?.width, `${viewport.width}`).toBe(before?.width);
      const name = await page.locator('tr[data-labeler=ana] td').first().boundingBox();
      const box = await page.locator('.labeler-table').locator('xpath=..').boundingBox();
      expect(name && box && name.x >= box.x - 1, `${viewport.width}: the name column is scrolled out of view`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(await page.textContent('[data-caption=position-bias]')).toContain('chance is 25%');
      await page.screenshot({ path: join(screenshots, `agreement-exclude-open-${viewport.width}.png`), fullPage: true });
      await page.close();
    }
  });
});
