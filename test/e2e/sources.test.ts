import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hasBrowser, overflowing } from '../support/browser.ts';
import { screenshots, startAdminBrowser, type AdminBrowser } from '../support/admin-browser.ts';
import { createQualityProject, labelerRankingByQuality, qualityOf } from '../support/quality-prompts.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { accurateJudge } from '../support/fake-judges.ts';
import { waitForJob } from '../support/job-wait.ts';

/**
 * A lead switches whose rankings the results, leaderboard and export count. The one labeler ranks the lowest quality
 * best and the judge the highest, so each choice shows a different order: the labeler's, the judge's, or a tie.
 */
describe.skipIf(!hasBrowser)('rankings from labelers, AI judges or both, in Chromium', () => {
  let session: AdminBrowser;
  let fake: FakeOpenAi;
  let page: Page;
  let projectId = 0;
  const url = () => session.product.url;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ answer: ({ prompt }) => accurateJudge(prompt) });
    session = await startAdminBrowser();
    const { admin, product } = session;
    page = session.page;
    projectId = await createQualityProject(admin, { name: 'Judged or not', labelersPerPrompt: 1 }, 6, fake.baseUrl);
    await labelerRankingByQuality(admin, product.url, projectId, 'contrarian', 'worstFirst');
    const judge = await admin.post(`/api/projects/${projectId}/judges`, { name: 'Accurate', model: 'judge-accurate' });
    const run = await admin.post(`/api/projects/${projectId}/judges/${judge.body.judge.id}/runs`, {});
    expect((await waitForJob(admin, run.body.job.id, (j) => j.status !== 'queued' && j.status !== 'running')).status).toBe('done');
  });
  afterAll(async () => {
    await session?.stop();
    await fake?.close();
  });

  // q0's responses are stored in quality order, so its letters A–D are qualities 0–3.
  const q0 = () => page.locator('.prompt-result[data-prompt=q0]');
  const consensus = () => q0().locator('[aria-label="Consensus order"]').textContent();
  const columns = () => q0().locator('th.labeler-col').allTextContents();

  it('results: the labelers by default, then the judge, then both, chosen by keyboard and kept in the address', async () => {
    await page.goto(`${url()}/projects/${projectId}/results`);
    await q0().waitFor();
    const select = page.getByLabel('Rankings from');
    expect(await select.inputValue()).toBe('human');
    expect(await consensus()).toBe('consensus A > B > C > D');
    expect(await columns()).toEqual(['contrarian']);

    await select.focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/sources=judge$/);
    await expect.poll(consensus).toBe('consensus D > C > B > A');
    expect(await columns()).toEqual(['AccurateAI judge']);
    expect(await q0().textContent()).toContain('1 counted ranking');

    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/sources=human%2Cjudge$/);
    // Equal and opposite: every response has the same mean rank.
    await expect.poll(consensus).toBe('consensus A = B = C = D');
    expect(await columns()).toEqual(['contrarian', 'AccurateAI judge']);
    await page.screenshot({ path: join(screenshots, 'results-sources.png'), fullPage: true });

    // A reload (or a shared link) shows the same view; back to the labelers, the address is as before judges.
    await page.reload();
    await q0().waitFor();
    expect(await page.getByLabel('Rankings from').inputValue()).toBe('human,judge');
    await page.getByLabel('Rankings from').selectOption('human');
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(consensus).toBe('consensus A > B > C > D');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Rankings from').selectOption('judge');
    await expect.poll(consensus).toBe('consensus D > C > B > A');
    await page.screenshot({ path: join(screenshots, 'results-sources-390.png'), fullPage: true });
    expect(await overflowing(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('leaderboard: the labeler puts the lowest quality first, the judge the highest', async () => {
    const entries = () => page.locator('tr[data-entry]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry')));
    await page.goto(`${url()}/projects/${projectId}/leaderboard`);
    await page.waitForSelector('tr[data-entry]');
    expect(await entries()).toEqual(['sft-q0', 'sft-q1', 'sft-q2', 'sft-q3']);
    await page.getByLabel('Rankings from').selectOption('judge');
    await page.waitForURL(/sources=judge$/);
    await expect.poll(entries).toEqual(['sft-q3', 'sft-q2', 'sft-q1', 'sft-q0']);
    await page.screenshot({ path: join(screenshots, 'leaderboard-sources.png'), fullPage: true });
  });

  it('export: judges alone default to one ranking per prompt, and the pairs, link and command follow the choice', async () => {
    const firstPair = async () => JSON.parse((await page.locator('.export-preview pre').first().textContent()) ?? '{}') as { chosen: string; rejected: string };
    await page.goto(`${url()}/projects/${projectId}/export`);
    await page.locator('.export-preview pre').first().waitFor();
    const pair = await firstPair();
    expect(qualityOf(pair.chosen)).toBeLessThan(qualityOf(pair.rejected));
    await page.getByLabel('Rankings from').selectOption('judge');
    await page.waitForURL(/sources=judge/);
    await expect.poll(async () => (await page.textContent('[data-testid=curl]')) ?? '').toContain('sources=judge');
    await expect.poll(async () => qualityOf((await firstPair()).chosen) > qualityOf((await firstPair()).rejected)).toBe(true);
    expect(await page.getAttribute('input[name=minLabelers]', 'placeholder')).toBe('1');
    expect(await page.getAttribute('a[download^="podium-"]', 'href')).toContain('sources=judge');
    expect(await page.textContent('[data-stat=prompts]')).toBe('6');
  });
});
