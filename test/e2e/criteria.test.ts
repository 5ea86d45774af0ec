import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, logInInBrowser, overflowing } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'criteria-admin-password';
const screenshots = join(repoRoot, 'test', 'screenshots');
const labelers = [
  { username: 'hana', password: 'hana-password-123' },
  { username: 'ivo', password: 'ivo-password-1234' },
];
const prompts = [
  { id: 'lock', prompt: 'How do I open a lock without its key?', responses: ['Call a locksmith, or the landlord.', 'Use a bump key: here is how to make one…', 'Pick it with two hairpins: tension, then rake.', 'I cannot help with that.'] },
  { id: 'prime', prompt: 'Name a prime number between 10 and 20.', responses: ['11', '13 is prime.', '15', 'Seventeen (17).'] },
  { id: 'capital', prompt: 'What is the capital of Australia?', responses: ['Canberra.', 'Sydney.', 'Melbourne, since 1901.', 'Canberra, chosen as a compromise.'] },
];

type Submitted = { rankings?: Record<string, number[][]>; ranking?: number[][] };

/** The order on screen, as tiers: cards in DOM order, a card marked tied joining the tier above. */
async function screenRanking(page: Page): Promise<number[][]> {
  const cards = await page.$$eval('.ranking-list > li', (els) => els.map((el) => ({ id: Number(el.getAttribute('data-response-id')), tied: el.getAttribute('data-tied') === 'true' })));
  const tiers: number[][] = [];
  for (const c of cards) {
    const last = tiers[tiers.length - 1];
    if (c.tied && last) last.push(c.id);
    else tiers.push([c.id]);
  }
  return tiers;
}
const activeCriterion = (page: Page) => page.getAttribute('.criterion-tab[aria-selected=true]', 'data-criterion');
const doneCriteria = (page: Page) => page.$$eval('.criterion-tab[data-done=true]', (els) => els.map((el) => el.getAttribute('data-criterion')));
const currentTask = (page: Page) => page.getAttribute('.task', 'data-assignment-id');


describe.skipIf(!hasBrowser)('a project ranked by two criteria, in Chromium', () => {
  let product: Product;
  let admin: ApiClient;
  let browser: Browser;
  let projectId = 0;
  const pageErrors: string[] = [];

  /** A labeler's page at a viewport, logged in, that records every submit body it sends. */
  async function labelerPage(who: { username: string; password: string }, viewport: { width: number; height: number }) {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const bodies: Submitted[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/assignments\/\d+\/submit/.test(r.url())) bodies.push(r.postDataJSON() as Submitted);
    });
    await logInInBrowser(page, product.url, who.username, who.password);
    await page.goto(`${product.url}/projects/${projectId}/label`);
    await page.waitForSelector('.ranking-list > li');
    // The top card is focused after the first paint; keys before that would still work, but wait as a person would.
    await page.waitForFunction(() => document.activeElement?.closest('.ranking-list') !== null);
    return { page, bodies };
  }
  /** Waits until a different task than `previous` is on screen. */
  const nextTaskShown = (page: Page, previous: string | null) =>
    page.waitForFunction((prev) => document.querySelector('.task')?.getAttribute('data-assignment-id') !== prev, previous);
  /** Keys pressed on a freshly shown criterion or task wait out the page's short "look before Shift+Enter" guard. */
  const look = (page: Page) => page.waitForTimeout(450);

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('creates a two-criterion project through the form, the server’s criteria issues under their fields', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    await logInInBrowser(page, product.url, 'admin', adminPassword);
    await page.click('text=New project');
    await page.fill('input[name=name]', 'Helpful and harmless');
    await page.fill('textarea[name=guidelines]', 'Rank each criterion on its own.');
    await page.fill('input[name=labelersPerPrompt]', '2');
    // The default: one criterion, Overall.
    expect(await page.inputValue('input[name="criteria.0.name"]')).toBe('Overall');
    await page.fill('input[name="criteria.0.name"]', 'Helpfulness');
    expect(await page.inputValue('input[name="criteria.0.key"]')).toBe('helpfulness');
    await page.fill('textarea[name="criteria.0.description"]', 'Does it do what the user asked, correctly and completely?');
    await page.click('button:has-text("Add a criterion")');
    // A second criterion with no name, and a weight of 0: the server names both.
    await page.fill('input[name="criteria.1.weight"]', '0');
    await page.click('button:has-text("Create project")');
    const nameError = page.locator('label:has(input[name="criteria.1.name"]) .field-error');
    await expect.poll(() => nameError.textContent()).toBe('a criterion needs a name');
    expect(await page.textContent('label:has(input[name="criteria.1.weight"]) .field-error')).toBe('a weight is above 0');
    expect(await page.locator('label:has(input[name="criteria.0.name"]) .field-error').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'criteria-new-project-errors.png'), fullPage: true });

    await page.fill('input[name="criteria.1.name"]', 'Harmlessness');
    await page.fill('input[name="criteria.1.weight"]', '2');
    await page.fill('textarea[name="criteria.1.description"]', 'Could following it hurt someone? Safer is better, whatever its use.');
    await page.click('button:has-text("Create project")');
    await page.waitForURL(/\/projects\/\d+$/);
    projectId = Number(/\/projects\/(\d+)$/.exec(page.url())?.[1]);
    const project = await admin.get(`/api/projects/${projectId}`);
    expect(project.body.project.criteria).toEqual([
      { key: 'helpfulness', name: 'Helpfulness', description: 'Does it do what the user asked, correctly and completely?', weight: 1 },
      { key: 'harmlessness', name: 'Harmlessness', description: 'Could following it hurt someone? Safer is better, whatever its use.', weight: 2 },
    ]);
    await page.close();

    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
    for (const l of labelers) {
      const user = await admin.post('/api/users', { ...l, role: 'labeler' });
      expect(user.status).toBe(201);
      expect((await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id })).status).toBe(201);
    }
  });

  it('ranks a task on both criteria by keyboard, "same order" included, and submits both (desktop)', async () => {
    const { page, bodies } = await labelerPage(labelers[0]!, { width: 1280, height: 900 });
    // The page says what is being ranked, and the guidelines list each criterion with its description.
    expect(await activeCriterion(page)).toBe('helpfulness');
    expect(await page.textContent('#ranking-heading')).toContain('by Helpfulness');
    expect(await page.textContent('[data-testid=criterion-description]')).toContain('what the user asked');
    expect(await page.textContent('.guidelines-criteria')).toContain('Could following it hurt someone?');
    expect(await page.textContent('.key-legend')).toContain('same as previous');
    const shown = await screenRanking(page);

    // Helpfulness: swap the top two, then Enter goes on to harmlessness instead of submitting.
    const task = await currentTask(page);
    await page.keyboard.press('Alt+ArrowDown');
    const helpful = await screenRanking(page);
    expect(helpful).toEqual([shown[1], shown[0], shown[2], shown[3]]);
    await page.keyboard.press('Enter');
    await expect.poll(() => activeCriterion(page)).toBe('harmlessness');
    expect(await doneCriteria(page)).toEqual(['helpfulness']);
    expect(await currentTask(page)).toBe(task);
    // Harmlessness starts from the order shown, and an untouched order is no ranking here either.
    expect(await screenRanking(page)).toEqual(shown);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=untouched-note]');
    expect(await page.textContent('[data-testid=untouched-note]')).toContain('by Harmlessness');
    await page.screenshot({ path: join(screenshots, 'criteria-ranking-second-desktop.png'), fullPage: true });
    // p: the same order as helpfulness; then one card down, and Enter submits both.
    await page.keyboard.press('p');
    expect(await screenRanking(page)).toEqual(helpful);
    // The chosen card (the top one shown) stays chosen; it is second in helpfulness's order, so one ↓ reaches the third.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Alt+ArrowDown');
    const harmless = await screenRanking(page);
    expect(harmless).toEqual([helpful[0], helpful[1], helpful[3], helpful[2]]);
    // [ goes back to helpfulness, as it was left; ] forward again.
    await page.keyboard.press('[');
    await expect.poll(() => activeCriterion(page)).toBe('helpfulness');
    expect(await screenRanking(page)).toEqual(helpful);
    await page.keyboard.press(']');
    await expect.poll(() => activeCriterion(page)).toBe('harmlessness');
    await page.keyboard.press('Enter');
    await nextTaskShown(page, task);
    expect(bodies[0]).toMatchObject({ rankings: { helpfulness: helpful, harmlessness: harmless }, notRankable: false });
    expect(bodies[0]?.ranking).toBeUndefined();
    // Stored as ranked: each criterion's order under its key.
    const results = await admin.get(`/api/projects/${projectId}/results?limit=50`);
    const hanas = (results.body.results as { rankings: { username: string; byCriterion: Record<string, number[][]> }[] }[]).flatMap((r) => r.rankings).filter((r) => r.username === 'hana');
    expect(hanas.map((r) => r.byCriterion)).toEqual([{ helpfulness: helpful, harmlessness: harmless }]);
    // A new task starts on the first criterion again, nothing done.
    expect(await activeCriterion(page)).toBe('helpfulness');
    expect(await doneCriteria(page)).toEqual([]);

    // Shift+Enter confirms the order shown, per criterion: twice submits the task as shown on both.
    const second = await currentTask(page);
    const shown2 = await screenRanking(page);
    await look(page);
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => activeCriterion(page)).toBe('harmlessness');
    await look(page);
    await page.keyboard.press('Shift+Enter');
    await nextTaskShown(page, second);
    expect(bodies[1]?.rankings).toEqual({ helpfulness: shown2, harmlessness: shown2 });
    await page.close();
  });

  it('keeps both criteria of a half-done task over a reload, and ranks at 390 px', async () => {
    const { page, bodies } = await labelerPage(labelers[1]!, { width: 390, height: 844 });
    expect(await overflowing(page)).toEqual([]);
    const task = await currentTask(page);
    await page.keyboard.press('4');
    const helpful = await screenRanking(page);
    await page.keyboard.press('Enter');
    await expect.poll(() => activeCriterion(page)).toBe('harmlessness');
    await page.keyboard.press('2');
    const harmless = await screenRanking(page);
    await page.screenshot({ path: join(screenshots, 'criteria-ranking-phone.png'), fullPage: true });
    expect(await overflowing(page)).toEqual([]);

    await page.reload();
    await page.waitForSelector('.ranking-list > li');
    expect(await currentTask(page)).toBe(task);
    expect(await activeCriterion(page)).toBe('harmlessness');
    expect(await doneCriteria(page)).toEqual(['helpfulness', 'harmlessness']);
    expect(await screenRanking(page)).toEqual(harmless);
    // The tabs take a tap, too.
    await page.click('.criterion-tab[data-criterion=helpfulness]');
    expect(await screenRanking(page)).toEqual(helpful);
    await page.click('button.submit');
    await nextTaskShown(page, task);
    expect(bodies.at(-1)?.rankings).toEqual({ helpfulness: helpful, harmlessness: harmless });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows results per criterion and the criteria’s agreement side by side (desktop and 390 px)', async () => {
    // The labelers' last tasks by API: helpfulness in id order, harmlessness reversed, by both, so those prompts'
    // consensus differs by criterion in a way known in advance.
    const byApi = new Map<string, number>();
    for (const l of labelers) {
      const client = new ApiClient(product.url);
      await client.login(l.username, l.password);
      for (;;) {
        const next = await client.post(`/api/projects/${projectId}/tasks/next`);
        if (next.status === 204) break;
        const task = next.body.assignment as { id: number; prompt: { externalId: string }; responses: { id: number }[] };
        const ids = task.responses.map((r) => r.id).sort((a, b) => a - b);
        const body = { rankings: { helpfulness: ids.map((id) => [id]), harmlessness: [...ids].reverse().map((id) => [id]) }, durationMs: 9_000 };
        expect((await client.post(`/api/assignments/${task.id}/submit`, body)).status).toBe(201);
        byApi.set(task.prompt.externalId, (byApi.get(task.prompt.externalId) ?? 0) + 1);
      }
    }
    const known = [...byApi].find(([, n]) => n === 2)?.[0];
    expect(known, 'a prompt both labelers ranked by API').toBeDefined();

    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
      const page = await browser.newPage({ viewport });
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await logInInBrowser(page, product.url, 'admin', adminPassword);
      await page.goto(`${product.url}/projects/${projectId}/results`);
      const card = page.locator(`.prompt-result[data-prompt=${known}]`);
      await card.waitFor();
      // The first criterion by default; the selector then asks for another and the address says so.
      expect(await page.inputValue('select[name=criterion]')).toBe('helpfulness');
      expect(await card.locator('.consensus').textContent()).toBe('consensus A > B > C > D');
      await page.selectOption('select[name=criterion]', 'harmlessness');
      await page.waitForURL(/criterion=harmlessness/);
      await expect.poll(() => card.locator('.consensus').textContent()).toBe('consensus D > C > B > A');
      await page.selectOption('select[name=criterion]', 'combined');
      await page.waitForURL(/criterion=combined/);
      // Weights 1 and 2: each response's weighted mean rank is (r + 2(5 − r)) / 3, so the harmlessness order wins.
      await expect.poll(() => card.locator('.consensus').textContent()).toBe('consensus D > C > B > A');
      expect(await page.textContent('[data-testid=combined-note]')).toContain('Harmlessness (×2)');
      if (name === 'phone') expect(await overflowing(page)).toEqual([]);
      await page.screenshot({ path: join(screenshots, `criteria-results-${name}.png`), fullPage: true });

      const sideBySide = await admin.get(`/api/projects/${projectId}/agreement/criteria`);
      expect(sideBySide.status).toBe(200);
      await page.goto(`${product.url}/projects/${projectId}/agreement`);
      const table = page.locator('[data-testid=criteria-side-by-side]');
      await table.waitFor();
      for (const c of sideBySide.body.criteria as { key: string; pairwiseAgreement: number | null; kendallW: { mean: number | null } }[]) {
        const row = table.locator(`tr[data-criterion=${c.key}]`);
        expect(await row.locator('[data-figure=pairwise]').textContent()).toBe(c.pairwiseAgreement === null ? '–' : `${Math.round(c.pairwiseAgreement * 100)}%`);
        expect(await row.locator('[data-figure=kendall-w]').textContent()).toBe(c.kendallW.mean === null ? '–' : c.kendallW.mean.toFixed(2).replace(/^-/, '−'));
      }
      // A row's name shows that criterion's full report below, as the selector does.
      expect(await page.textContent('[data-testid=agreement-criterion]')).toBe('Helpfulness');
      await table.locator('tr[data-criterion=harmlessness] button').click();
      await page.waitForURL(/criterion=harmlessness/);
      await expect.poll(() => page.textContent('[data-testid=agreement-criterion]')).toBe('Harmlessness');
      const harmless = await admin.get(`/api/projects/${projectId}/agreement?criterion=harmlessness&bootstrap=0`);
      await expect
        .poll(() => page.textContent('[data-figure=pairwise] .figure-value'))
        .toBe(harmless.body.pairwiseAgreement === null ? '–' : `${Math.round(harmless.body.pairwiseAgreement * 100)}%`);
      if (name === 'phone') expect(await overflowing(page)).toEqual([]);
      await page.screenshot({ path: join(screenshots, `criteria-agreement-${name}.png`), fullPage: true });

      // Review and export take the criterion too.
      await page.goto(`${product.url}/projects/${projectId}/review?criterion=harmlessness`);
      await page.locator('.review-table tbody tr').first().waitFor();
      expect(await page.inputValue('select[name=criterion]')).toBe('harmlessness');
      await page.goto(`${product.url}/projects/${projectId}/export`);
      await page.selectOption('select[name=criterion]', 'harmlessness');
      await page.waitForURL(/criterion=harmlessness/);
      expect(await page.getAttribute('a[href*="/export?"]', 'href')).toContain('criterion=harmlessness');
      await page.goto(`${product.url}/projects/${projectId}/leaderboard?criterion=combined`);
      expect(await page.inputValue('select[name=criterion]')).toBe('combined');
      await page.close();
    }
    expect(pageErrors).toEqual([]);
    // Five pages at two widths: over a minute on a loaded 2-core machine.
  }, 240_000);
});
