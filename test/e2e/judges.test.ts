import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hasBrowser } from '../support/browser.ts';
import { screenshots, startAdminBrowser, type AdminBrowser } from '../support/admin-browser.ts';
import type { Product } from '../support/product.ts';
import type { ApiClient } from '../support/test-server.ts';
import { waitForJob } from '../support/job-wait.ts';
import { createQualityProject, labelerRankingByQuality } from '../support/quality-prompts.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { accurateJudge, firstShownJudge, garbageAnswer } from '../support/fake-judges.ts';

describe.skipIf(!hasBrowser)('AI judges on the agreement page in Chromium', () => {
  let session: AdminBrowser;
  let product: Product;
  let fake: FakeOpenAi;
  let page: Page;
  let admin: ApiClient;
  let projectId = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAi({
      latencyMs: 20,
      answer: ({ model, prompt }) => (model === 'judge-biased' ? firstShownJudge(prompt) : model === 'judge-garbage' ? garbageAnswer : accurateJudge(prompt)),
    });
    session = await startAdminBrowser();
    ({ product, page, admin } = session);
    projectId = await createQualityProject(admin, { name: 'Judged answers', guidelines: 'Prefer the higher quality.', labelersPerPrompt: 2 }, 12, fake.baseUrl);
    for (const name of ['ana', 'ben']) await labelerRankingByQuality(admin, product.url, projectId, name, 'bestFirst');
    // One judge comes through the API, already run, so the page opens with figures and disagreements to show.
    const biased = await admin.post(`/api/projects/${projectId}/judges`, { name: 'First-shown', model: 'judge-biased' });
    const run = await admin.post(`/api/projects/${projectId}/judges/${biased.body.judge.id}/runs`, {});
    await waitForJob(admin, run.body.job.id, (j) => j.status !== 'queued' && j.status !== 'running');
  });
  afterAll(async () => {
    await session?.stop();
    await fake?.close();
  });

  const addJudge = async (name: string, model: string) => {
    const form = page.getByRole('form', { name: 'Add a judge' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Model').fill(model);
    await form.getByRole('button', { name: 'Add judge' }).click();
    await page.locator(`tr[data-judge="${name}"]`).waitFor();
  };

  it('adds a judge, runs it with progress, and lists it like a labeler against the humans', async () => {
    await page.goto(`${product.url}/projects/${projectId}/agreement`);
    await page.getByRole('heading', { name: 'AI judges' }).waitFor();
    const biased = page.locator('tr[data-judge="First-shown"]');
    await expect.poll(async () => (await biased.locator('td').nth(3).textContent())?.trim()).not.toBe('100%');

    await addJudge('Accurate', 'judge-accurate');
    const accurate = page.locator('tr[data-judge="Accurate"]');
    await accurate.getByRole('button', { name: 'Run judge' }).click();
    await accurate.locator('[data-job-status="done"]').waitFor();
    await expect.poll(async () => (await accurate.locator('td').nth(1).textContent())?.trim()).toBe('1.00');
    expect((await accurate.locator('td').nth(3).textContent())?.trim()).toBe('100%');
    expect(await accurate.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('24');
    await page.screenshot({ path: join(screenshots, 'judges.png'), fullPage: true });
  });

  it('shows the answers it could not read, and links to the prompts where a judge disagrees most', async () => {
    await addJudge('Garbage', 'judge-garbage');
    const garbage = page.locator('tr[data-judge="Garbage"]');
    await garbage.getByRole('button', { name: 'Run judge' }).click();
    await garbage.locator('[data-job-status="failed"]').waitFor();
    await garbage.getByRole('button', { name: '24 unreadable' }).click();
    await expect.poll(() => page.locator('.judge-answer').count()).toBe(24);
    expect(await page.locator('.judge-answer').first().textContent()).toBe(garbageAnswer);

    const link = page.locator('tr[data-judge="First-shown"] td.disagreements a').first();
    const externalId = (await link.textContent()) ?? '';
    expect(externalId).toMatch(/^q\d+$/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshots, 'judges-390.png'), fullPage: true });
    // the page still fits the phone: only the table scrolls sideways, inside its own box
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await link.click();
    await page.waitForURL(`**/projects/${projectId}/review?prompt=*`);
    await page.locator(`[data-open-prompt="${externalId}"]`).waitFor();
  });
});
