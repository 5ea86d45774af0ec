import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'admin-password-1';
const screenshots = join(repoRoot, 'test', 'screenshots');

type Task = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

const questions = [
  ['capital', 'What is the capital of Australia?', ['Canberra.', 'Sydney.', 'Melbourne.', 'Canberra, chosen in 1908 as a compromise between Sydney and Melbourne.']],
  ['prime', 'Name a prime between 10 and 20.', ['11', '13 is prime.', '15', '17 (also 11, 13 and 19).']],
  ['reverse', 'Reverse a list in Python.', ['`items[::-1]`', '```python\nitems.reverse()\n```', 'Use a loop.', 'Lists cannot be reversed.']],
  ['boil', 'At what temperature does water boil at sea level?', ['100 °C (212 °F).', '90 °C.', 'It depends on the pot.', '100 degrees.']],
  ['haiku', 'Write a haiku about autumn.', ['Leaves drift, cold wind hums / the maple lets go its red / evening comes early', 'Autumn is a season.', 'Red leaves / falling.', 'Leaves fall down in fall.']],
  ['sum', 'What is 17 + 25?', ['42', '41', '17 + 25 = 42.', '52']],
] as const;
// Six more, so a labeler's rates rest on a dozen rankings.
const sums = Array.from({ length: 6 }, (_, i) => [`add-${i + 1}`, `What is ${i + 3} + ${i + 4}?`, [`${2 * i + 7}`, `${2 * i + 7}, since ${i + 3} + ${i + 4} = ${2 * i + 7}.`, `${2 * i + 8}`, 'About ten.']] as const);

// Good labelers mostly agree (the stored order is roughly best first, with small swaps); zed ranks in reverse in two
// seconds; kim puts whatever is shown first on top.
function plan(name: string, task: Task, index: number): number[][] {
  const ids = task.responses.map((r) => r.id).sort((a, b) => a - b);
  if (name === 'zed') return ids.reverse().map((id) => [id]);
  if (name === 'kim') return [task.responses[0]!.id, ...ids.filter((id) => id !== task.responses[0]!.id)].map((id) => [id]);
  const swapped = [...ids];
  if ((index + name.length) % 3 === 0) [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
  return swapped.map((id) => [id]);
}

describe.skipIf(!hasBrowser)('agreement dashboard and review page in Chromium', () => {
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
    const created = await admin.post('/api/projects', { name: 'Agreement check', responsesPerPrompt: 4, labelersPerPrompt: 4 });
    projectId = created.body.project.id;
    const lines = [...questions, ...sums].map(([id, prompt, responses]) => ({ id, prompt, responses }));
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
    for (const name of ['ana', 'ben', 'kim', 'zed']) {
      const user = await admin.post('/api/users', { username: name, password: `${name}-password-1`, role: 'labeler' });
      expect((await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id })).status).toBe(201);
      const client = new ApiClient(product.url);
      await client.login(name, `${name}-password-1`);
      for (let i = 0; ; i++) {
        const next = await client.post(`/api/projects/${projectId}/tasks/next`);
        if (next.status === 204) break;
        const task = next.body.assignment as Task;
        if (name === 'ben' && i === 9) {
          await client.post(`/api/assignments/${task.id}/skip`, { reason: 'unsure' });
          continue;
        }
        const flags = name === 'ana' && i === 0 ? { [String(task.responses[1]!.id)]: ['factually-wrong'] } : {};
        const durationMs = name === 'zed' ? 2_000 + i * 100 : 25_000 + i * 3_000;
        const res = await client.post(`/api/assignments/${task.id}/submit`, { ranking: plan(name, task, i), durationMs, flags, comment: name === 'ana' && i === 1 ? 'B and C are close.' : '' });
        expect(res.status).toBe(201);
      }
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(15_000);
    await logInInBrowser(page, product.url, 'admin', adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  const percent = (v: number) => `${Math.round(v * 100)}%`;
  // The page prints a typographic minus.
  const fixed = (v: number) => v.toFixed(2).replace('-', '−');

  it('shows the headline figures the API computes, marks the unreliable labelers, and excludes one from the table', async () => {
    const before = (await admin.get(`/api/projects/${projectId}/agreement`)).body;
    await page.goto(`${product.url}/projects/${projectId}/agreement`);
    const pairwise = page.locator('[data-figure=pairwise] .figure-value');
    await expect.poll(() => pairwise.textContent()).toBe(percent(before.pairwiseAgreement));
    expect(await page.textContent('[data-figure=kendall-w] .figure-value')).toBe(fixed(before.kendallW.mean));
    expect(await page.textContent('[data-figure=alpha-ordinal] .figure-value')).toBe(fixed(before.krippendorffAlpha.ordinal));
    expect(await page.textContent('[data-figure=pairwise]')).toContain('95% CI');
    expect(await page.textContent('[data-figure=pairwise]')).toContain('InstructGPT ~73%');
    // W over prompts as a bar chart (one bar per bin), and labeler pairs as a table coloured like a heatmap.
    await page.waitForSelector('.histogram .w-bar', { state: 'attached' }); // an empty bin's bar has no height
    expect(await page.locator('.histogram .w-bar').count()).toBe(10);
    const pairs = before.labelerPairs as { usernames: string[]; meanTauB: (number | null)[][] };
    expect(await page.locator('.heatmap td[data-pair]').count()).toBe(pairs.usernames.length * (pairs.usernames.length - 1));
    const [first, second] = pairs.usernames;
    expect(await page.textContent(`.heatmap td[data-pair="${first}:${second}"] .heatmap-tau`)).toBe(fixed(pairs.meanTauB[0]![1]!));
    const zedChecks = await page.textContent('tr[data-labeler=zed] .checks');
    expect(zedChecks).toContain('ranks against the consensus');
    expect(zedChecks).toContain('per ranking');
    expect(await page.textContent('tr[data-labeler=kim] .checks')).toContain('shown first on top');
    const anaChecks = await page.textContent('tr[data-labeler=ana] .checks');
    expect(anaChecks).not.toContain('consensus');
    expect(anaChecks).not.toContain('per ranking');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshots, 'agreement.png'), fullPage: true });

    await page.click('tr[data-labeler=zed] button:has-text("Exclude")');
    await page.fill('tr[data-labeler=zed] input', 'reverses every ranking in two seconds');
    await page.click('tr[data-labeler=zed] button:has-text("Exclude zed")');
    await page.waitForSelector('[data-excluded-labeler=zed]');
    expect(await page.locator('tr[data-labeler=zed]').count()).toBe(0);
    expect(await page.textContent('[data-excluded-labeler=zed]')).toContain('reverses every ranking in two seconds');
    const after = (await admin.get(`/api/projects/${projectId}/agreement`)).body;
    expect(after.pairwiseAgreement).toBeGreaterThan(before.pairwiseAgreement);
    await expect.poll(() => pairwise.textContent()).toBe(percent(after.pairwiseAgreement));
    await page.screenshot({ path: join(screenshots, 'agreement-excluded.png'), fullPage: true });
  });

  it('lists prompts lowest W first and opens one with every ranking side by side and its actions', async () => {
    const list = (await admin.get(`/api/projects/${projectId}/review?sort=w`)).body;
    await page.goto(`${product.url}/projects/${projectId}/review`);
    await page.waitForSelector('.review-row');
    const first = list.rows[0];
    expect(await page.getAttribute('.review-row >> nth=0', 'data-prompt')).toBe(first.externalId);
    await page.click(`.review-row[data-prompt=${first.externalId}] .review-open`);
    const panel = page.locator(`[data-open-prompt=${first.externalId}]`);
    await panel.waitFor();
    // One column per ranking of that prompt: four, or three where ben skipped it (which prompt is lowest varies with kim's shuffled tasks).
    await expect.poll(() => panel.locator('th.labeler-col').count()).toBe(first.rankings);
    expect(await panel.locator('.ranking-switches').textContent()).toContain('labeler excluded');
    await page.screenshot({ path: join(screenshots, 'review.png'), fullPage: true });

    // zed is excluded, so the prompt is short of its four counted labels, and every other labeler has had it.
    expect(await panel.locator('[data-testid=places-open]').textContent()).toContain('add a labeler');
    await panel.locator('button:has-text("Send back for more labels")').click();
    await expect.poll(async () => (await admin.get(`/api/projects/${projectId}/review/${first.promptId}`)).body.prompt.extraLabelers).toBe(1);
    // Nobody is promised: the page says no labeler can take it.
    await panel.locator('[data-testid=nobody-left]').waitFor();
    expect(await panel.locator('[data-testid=nobody-left]').textContent()).toContain('Nobody can take it now');
    await page.screenshot({ path: join(screenshots, 'review-send-back.png'), fullPage: true });
    await panel.locator('button:has-text("Exclude from export")').click();
    await panel.locator('input').fill('ambiguous question');
    await panel.locator('button:has-text("Exclude prompt")').click();
    await page.waitForSelector(`.review-row.is-excluded[data-prompt=${first.externalId}]`);
    const exported = (await admin.get(`/api/projects/${projectId}/export?format=rankings&minLabelers=1`)).body as string;
    expect(exported).toContain('"prompt"');
    expect(exported).not.toContain(first.preview);
    await panel.locator('button:has-text("Include in export again")').click();
    await page.waitForSelector(`.review-row:not(.is-excluded)[data-prompt=${first.externalId}]`);
  });
});
