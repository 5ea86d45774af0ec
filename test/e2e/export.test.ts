import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'admin-password-1';
const screenshots = join(repoRoot, 'test', 'screenshots');

type Task = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

const prompts = [
  {
    id: 'colours',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Name a colour.' },
      { role: 'assistant', content: 'Blue.' },
      { role: 'user', content: 'Another one?' },
    ],
    responses: [{ text: 'Green.', model: 'sft-a' }, { text: 'Blue again.', model: 'sft-b' }, { text: 'I cannot name colours.', model: 'sft-a' }],
  },
  { id: 'prime', prompt: 'Name a prime between 10 and 20.', responses: ['11', '15', '13 is prime.'] },
  { id: 'code', prompt: 'Reverse a list in Python.', responses: ['`items[::-1]`', 'items.reverse()', 'Use a loop.'] },
  { id: 'capital', prompt: 'What is the capital of Australia?', responses: ['Canberra.', 'Sydney.', 'Melbourne.'] },
];

describe.skipIf(!hasBrowser)('the export page in Chromium', () => {
  let product: Product;
  let browser: Browser;
  let page: Page;
  let projectId = 0;
  let admin: ApiClient;
  let benId = 0;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    projectId = (await admin.post('/api/projects', { name: 'Export demo', responsesPerPrompt: 3, labelersPerPrompt: 2, allowTies: true })).body.project.id as number;
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
    // Two labelers who both rank responses in the order they were imported, except that the second swaps the last two.
    for (const [name, swap] of [['ana', false], ['ben', true]] as const) {
      const user = await admin.post('/api/users', { username: name, password: `${name}-password-1`, role: 'labeler' });
      await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id });
      if (name === 'ben') benId = user.body.user.id as number;
      const client = new ApiClient(product.url);
      await client.login(name, `${name}-password-1`);
      for (;;) {
        const next = await client.post(`/api/projects/${projectId}/tasks/next`);
        if (next.status === 204) break;
        const task = next.body.assignment as Task;
        const byImport = prompts.find((p) => p.id === task.prompt.externalId)!.responses.map((r) => (typeof r === 'string' ? r : r.text));
        const ids = byImport.map((text) => task.responses.find((r) => r.text === text)!.id);
        const order = swap ? [ids[0]!, ids[2]!, ids[1]!] : ids;
        expect((await client.post(`/api/assignments/${task.id}/submit`, { ranking: order.map((id) => [id]) })).status).toBe(201);
      }
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(10_000);
    await logInInBrowser(page, product.url, 'admin', adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('shows counts and a preview that follow the settings, and downloads the file it previews', async () => {
    await page.goto(`${product.url}/projects/${projectId}`);
    await page.click('nav[aria-label="Project pages"] >> text=Export');
    await page.waitForURL(`**/projects/${projectId}/export`);
    const lines = page.locator('[data-stat=lines]');
    // The first response is everyone's best (mean 1); the labelers split on the other two (2.5 each, a consensus tie, never a pair):
    // two pairs per prompt, margin 1.5.
    await expect.poll(() => lines.textContent()).toBe('8');
    await expect.poll(() => page.locator('[data-stat=prompts]').textContent()).toBe('4');
    const firstPreview = () => page.locator('.export-preview li pre').first().textContent();
    expect(JSON.parse((await firstPreview()) ?? '{}')).toMatchObject({ chosen: expect.any(String), rejected: expect.any(String), margin: 1.5 });

    await page.check('input[name=format][value=openai-dpo]');
    await page.uncheck('input[name=metadata]');
    await expect.poll(async () => Object.keys(JSON.parse((await firstPreview()) ?? '{}'))).toEqual(['input', 'preferred_output', 'non_preferred_output']);
    expect(await lines.textContent()).toBe('8');
    await page.check('input[name=format][value=rankings]');
    await expect.poll(() => lines.textContent()).toBe('4');
    await page.check('input[name=format][value=openai-dpo]');
    await page.selectOption('select[name=strategy]', 'best-worst');
    await page.fill('input[name=minAgreement]', '1');
    await expect.poll(() => page.url()).toContain('minAgreement=1');
    // best-worst: the first against the consensus-tied second and third; both labelers agree on either pair
    await expect.poll(() => lines.textContent()).toBe('8');
    await page.fill('input[name=minAgreement]', '');
    await expect.poll(() => page.locator('.export-counts.is-stale').count()).toBe(0);

    const curl = (await page.locator('[data-testid=curl]').textContent()) ?? '';
    expect(curl).toContain('Authorization: Bearer $PODIUM_TOKEN');
    expect(curl).toContain(`/api/projects/${projectId}/export?format=openai-dpo&strategy=best-worst&metadata=false`);

    await page.screenshot({ path: join(screenshots, 'export.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download podium-")')]);
    expect(download.suggestedFilename()).toBe(`podium-${projectId}-openai-dpo.jsonl`);
    const file = readFileSync((await download.path())!, 'utf8');
    const first = file.split('\n')[0] ?? '';
    expect(JSON.parse(first)).toEqual(JSON.parse((await firstPreview()) ?? ''));
    expect(file.trim().split('\n')).toHaveLength(8);

    const [manifest] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download manifest")')]);
    const m = JSON.parse(readFileSync((await manifest.path())!, 'utf8'));
    expect(m).toMatchObject({ project: { id: projectId, name: 'Export demo', K: 3, R: 2 }, settings: { format: 'openai-dpo', strategy: 'best-worst', metadata: false }, counts: { total: 8, prompts: 4 } });
  });

  it('says why nothing is left to export once a lead excludes a labeler', async () => {
    expect((await admin.post(`/api/projects/${projectId}/members/${benId}/exclusion`, { excluded: true, reason: 'tested the page' })).status).toBe(200);
    await page.goto(`${product.url}/projects/${projectId}/export`);
    await expect.poll(() => page.locator('[data-stat=lines]').textContent()).toBe('0');
    const reason = page.locator('[data-testid=left-out] [data-reason=rankings-excluded]');
    await expect.poll(() => reason.textContent()).toBe('4 prompts: fewer counted rankings than min labelers because rankings or labelers were excluded');
    expect(await page.locator('[data-testid=nothing-to-export]').textContent()).toContain('every prompt was left out');
    await page.screenshot({ path: join(screenshots, 'export-left-out.png'), fullPage: true });
  });
});
