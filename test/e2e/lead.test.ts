import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'admin-password-1';
const labelers = [
  { username: 'alice', password: 'alice-password-1' },
  { username: 'bob', password: 'bob-password-1' },
];
const screenshots = join(repoRoot, 'test', 'screenshots');

const goodLines = [
  {
    id: 'capital',
    messages: [
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'What is the capital of **Australia**?' },
    ],
    responses: [
      'Canberra.',
      'Sydney, the largest city, which many people assume is the capital; in fact the capital is Canberra, chosen in 1908 as a compromise between Sydney and Melbourne, and Parliament has sat there since 1927.\n\nSo the answer is Canberra — but Sydney is the biggest.\n\n- Sydney: about 5.3 million people\n- Melbourne: about 5.2 million\n- Canberra: about 470,000',
      { text: 'Melbourne.', model: 'sft-small' },
    ],
  },
  { id: 'prime', prompt: 'Name a prime between 10 and 20.', responses: ['11', '15', '13 is prime.'] },
  { id: 'code', prompt: 'Reverse a list in Python.', responses: ['`items[::-1]`', '```python\nitems.reverse()\n```', 'Use a loop.'] },
];

type Task = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

describe.skipIf(!hasBrowser)('lead and admin pages in Chromium', () => {
  let product: Product;
  let browser: Browser;
  let page: Page;
  let projectId = 0;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('creates a project through the form, showing the server’s errors by field', async () => {
    await logInInBrowser(page, product.url, 'admin', adminPassword);

    await page.click('text=New project');
    await page.fill('input[name=name]', 'Capitals and code');
    await page.fill('textarea[name=guidelines]', 'Prefer **correct** and *short* answers.');
    await page.fill('input[name=responsesPerPrompt]', '12');
    await page.click('button:has-text("Create project")');
    const kError = page.locator('label:has(input[name=responsesPerPrompt]) .field-error');
    await expect.poll(() => kError.textContent()).toBe('K is at most 9');

    await page.screenshot({ path: join(screenshots, 'new-project.png') });

    await page.fill('input[name=responsesPerPrompt]', '3');
    await page.fill('input[name=labelersPerPrompt]', '2');
    await page.click('button:has-text("Create project")');
    await page.waitForURL(/\/projects\/\d+$/);
    projectId = Number(/\/projects\/(\d+)$/.exec(page.url())?.[1]);
    expect(projectId).toBeGreaterThan(0);
    await page.waitForSelector('h1:has-text("Capitals and code")');
    expect(await page.textContent('.settings')).toContain('K = 3');
  });

  it('reports every bad line of an import and imports nothing, then imports a good file', async () => {
    const bad = jsonl([goodLines[0], { id: 'x', responses: ['a', 'b', 'c'] }, goodLines[1]]) + '{not json\n';
    await page.setInputFiles('input[name=import-file]', { name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(bad) });
    const alert = page.locator('.bad-notice');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('nothing was imported');
    const lines = await alert.locator('li').allTextContents();
    expect(lines.map((l) => /^line (\d+):/.exec(l)?.[1])).toEqual(['2', '4']);
    expect(await page.textContent('[data-stat=prompts]')).toBe('0');

    await page.setInputFiles('input[name=import-file]', { name: 'good.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl(goodLines)) });
    await page.locator('.ok-notice').waitFor();
    expect(await page.textContent('.ok-notice')).toContain('imported 3 prompts and 9 responses');
    await expect.poll(() => page.textContent('[data-stat=prompts]')).toBe('3');
    expect(await page.textContent('[data-stat=rankable]')).toBe('3');
    expect(await page.textContent('[data-stat=rankings]')).toBe('0 / 6');
  });

  it('creates users on the admin page and adds them to the project', async () => {
    await page.click('nav >> text=Admin');
    await page.waitForSelector('h1:has-text("Admin")');
    await page.fill('form[aria-label="New user"] input[name=username]', 'alice');
    await page.fill('form[aria-label="New user"] input[name=password]', 'short');
    await page.click('button:has-text("Create user")');
    await expect.poll(() => page.locator('label:has(input[name=password]) .field-error').textContent()).toContain('at least 8 characters');

    for (const l of labelers) {
      await page.fill('form[aria-label="New user"] input[name=username]', l.username);
      await page.fill('form[aria-label="New user"] input[name=password]', l.password);
      await page.click('button:has-text("Create user")');
      await page.waitForSelector(`.users-table td:text-is("${l.username}")`);
    }
    await page.fill('form[aria-label="New user"] input[name=username]', 'alice');
    await page.fill('form[aria-label="New user"] input[name=password]', 'another-password');
    await page.click('button:has-text("Create user")');
    await expect.poll(() => page.locator('label:has(input[name=username]) .field-error').textContent()).toContain('taken');

    await page.screenshot({ path: join(screenshots, 'admin.png') });

    await page.goto(`${product.url}/projects/${projectId}`);
    for (const l of labelers) {
      await page.selectOption('select[name=userId]', { label: `${l.username} (labeler)` });
      await page.click('form[aria-label="Add member"] button:has-text("Add")');
      await page.waitForSelector(`table.dense td:text-is("${l.username}")`);
    }
  });

  it('shows two labelers’ rankings on the dashboard and side by side on the results page', async () => {
    // alice ranks in the imported order; bob reverses it with a tie, flags and comments.
    const bobShown = new Map<string, number[]>();
    for (const [i, l] of labelers.entries()) {
      const client = new ApiClient(product.url);
      await client.login(l.username, l.password);
      for (;;) {
        const next = await client.post<{ assignment: Task }>(`/api/projects/${projectId}/tasks/next`);
        if (next.status === 204) break;
        expect(next.status).toBe(200);
        const task = next.body.assignment;
        const ids = [...task.responses].sort((a, b) => a.id - b.id).map((r) => r.id);
        const [a, b, c] = ids as [number, number, number];
        const body =
          i === 0
            ? { ranking: [[a], [b], [c]], durationMs: 12_000 }
            : { ranking: [[c, b], [a]], flags: { [String(b)]: ['factually-wrong'] }, comment: `the first answer to ${task.prompt.externalId} is too terse`, durationMs: 65_000 };
        if (i === 1) bobShown.set(task.prompt.externalId, task.responses.map((r) => r.id));
        const submitted = await client.post(`/api/assignments/${task.id}/submit`, body);
        expect(submitted.status).toBe(201);
      }
    }

    // The dashboard refreshes by itself.
    await expect.poll(() => page.textContent('[data-stat=rankings]'), { timeout: 12_000 }).toBe('6 / 6');
    expect(await page.textContent('[data-stat=complete]')).toBe('3');
    const rows = await page.locator('table.dense tbody tr').allTextContents();
    // each row ends with its Remove button
    expect(rows.map((r) => r.replace(/Remove$/, ''))).toEqual(['alice30', 'bob30']);
    expect(await page.locator('table.dense tbody button[aria-label="Remove alice"]').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'dashboard.png'), fullPage: true });

    await page.click('a:has-text("Results")');
    await page.waitForURL(`**/projects/${projectId}/results`);
    const capital = page.locator('.prompt-result[data-prompt=capital]');
    await capital.waitFor();
    expect(await page.textContent('.results-page')).toContain('3 ranked prompts');
    expect(await capital.locator('th.labeler-col').allTextContents()).toEqual([expect.stringMatching(/^alice/), expect.stringMatching(/^bob/)]);
    // Responses A, B, C: alice 1, 2, 3; bob 3, 1.5, 1.5 → means 2, 1.75, 2.25, so the consensus is B > A > C.
    expect(await capital.locator('.consensus').textContent()).toBe('consensus B > A > C');
    const grid = await capital.locator('.rank-grid tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].filter((_, i) => i !== 1).map((td) => td.childNodes[0]?.textContent ?? '')),
    );
    expect(grid).toEqual([
      ['1', '1.75', '2', '1.5'],
      ['2', '2', '1', '3'],
      ['3', '2.25', '3', '1.5'],
    ]);
    expect(await capital.locator('.rank-flag').allTextContents()).toEqual(['factually-wrong']);
    expect(await capital.locator('.comments').textContent()).toContain('bob: the first answer to capital is too terse');
    // bob's comment letters follow the shuffled order he saw; the page says which response each of them is.
    const shown = bobShown.get('capital') ?? [];
    const pageLetter = new Map([...shown].sort((x, y) => x - y).map((id, j) => [id, 'ABC'[j]]));
    const key = shown.map((id, j) => `${'ABC'[j]} = ${pageLetter.get(id)}`).join(', ');
    if (shown.every((id, j) => pageLetter.get(id) === 'ABC'[j])) expect(await capital.locator('.letter-key').count()).toBe(0);
    else expect(await capital.locator('.letter-key').textContent()).toBe(`bob’s letters: ${key}`);
    // The long response is folded until asked for.
    await capital.locator('button:has-text("show all")').first().click();
    await capital.locator('button:has-text("show less")').click();
    await capital.locator('button:has-text("show all")').waitFor();
    await page.screenshot({ path: join(screenshots, 'results.png'), fullPage: true });

    // The review page lists the same three ranked prompts, most disputed first.
    await page.goto(`${product.url}/projects/${projectId}/review`);
    await page.locator('.review-table tbody tr').first().waitFor();
    expect(await page.textContent('.review-page')).toContain('3 ranked prompts');
  });
});
