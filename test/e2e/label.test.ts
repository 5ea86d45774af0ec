import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';
import type { PromptResult } from '../../shared/results.ts';

const adminPassword = 'e2e-admin-password';
const labeler = { username: 'lena', password: 'lena-password-123' };

// Untrusted model output: every way markdown could run script or fetch something on its own.
const hostile = [
  'Here is a script: <script>window.__pwned = 1</script> and an <img src="http://127.0.0.1:9/onerror.png" onerror="window.__pwned = 2">',
  '[click me](javascript:window.__pwned=3) and [data](data:text/html,<script>alert(1)</script>) and [ok](https://example.org/docs)',
  '![tracking pixel](http://127.0.0.1:9/pixel.png)',
].join('\n\n');

const prompts = [
  {
    id: 'p1',
    messages: [
      { role: 'system', content: 'You are a concise Python tutor.' },
      { role: 'user', content: 'How do I reverse a list in **Python**?' },
    ],
    responses: [
      'Use slicing:\n\n```python\nitems = [1, 2, 3]\nreversed_items = items[::-1]\nprint(reversed_items)  # [3, 2, 1]\n```\n\nThis returns a *new* list.',
      'Call `items.reverse()`: it reverses **in place** and returns `None`.',
      'Use `reversed(items)`, which gives an iterator:\n\n| call | returns |\n| --- | --- |\n| `reversed(items)` | iterator |\n| `items[::-1]` | new list |',
      hostile,
    ],
  },
  { id: 'p2', prompt: 'Name a prime number between 10 and 20.', responses: ['11', '13 is prime.', '15', 'Seventeen (17).'] },
  { id: 'p3', prompt: 'What is the capital of Australia?', responses: ['Canberra.', 'Sydney.', 'Melbourne, since 1901.', 'Canberra, chosen as a compromise between Sydney and Melbourne.'] },
  { id: 'p4', prompt: 'asdf qwer ???', responses: ['I am not sure what you mean.', 'Could you clarify?', '???', 'asdf'] },
  { id: 'p5', prompt: 'Explain the Krebs cycle in one paragraph.', responses: ['It is a cycle.', 'Citric acid…', 'A metabolic pathway…', 'No.'] },
];

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

const currentTask = (page: Page) => page.getAttribute('.task', 'data-assignment-id');
const currentPrompt = async (page: Page) => ((await page.textContent('#prompt-heading')) ?? '').replace(/^Prompt\s*·\s*/, '').trim();

/** Waits until a different task than `previous` is on screen. */
async function nextTaskShown(page: Page, previous: string | null): Promise<void> {
  await page.waitForFunction((prev) => document.querySelector('.task')?.getAttribute('data-assignment-id') !== prev, previous);
}

describe.skipIf(!hasBrowser)('the ranking page in Chromium', () => {
  let product: Product;
  let admin: ApiClient;
  let browser: Browser;
  let page: Page;
  let projectId: number;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  /** What was on screen when each prompt was submitted, by prompt external id. */
  const submitted = new Map<string, number[][]>();

  const results = async (): Promise<PromptResult[]> => {
    const res = await admin.get<{ results: PromptResult[] }>(`/api/projects/${projectId}/results?limit=50`);
    expect(res.status).toBe(200);
    return res.body.results;
  };
  const rankingOf = async (externalId: string) => (await results()).find((r) => r.externalId === externalId)?.rankings.find((r) => r.username === labeler.username);

  beforeAll(async () => {
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    const created = await admin.post('/api/projects', {
      name: 'Python answers',
      guidelines: '## How to rank\n\n1. **Correct** beats fluent.\n2. Tie two answers only when you truly cannot prefer one.\n3. Flag anything harmful.',
      responsesPerPrompt: 4,
      labelersPerPrompt: 2,
      allowTies: true,
    });
    expect(created.status).toBe(201);
    projectId = created.body.project.id;
    const imported = await admin.post(`/api/projects/${projectId}/import`, jsonl(prompts));
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const user = await admin.post('/api/users', { ...labeler, role: 'labeler' });
    expect(user.status).toBe(201);
    expect((await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id })).status).toBe(201);

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const origin = new URL(product.url).origin;
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) foreignRequests.push(r.url());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('logs in through the form and lands on the first task', async () => {
    await page.goto(`${product.url}/login?next=/projects/${projectId}/label`);
    await page.fill('input[name=username]', labeler.username);
    await page.fill('input[name=password]', labeler.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.ranking-list > li');
    expect(await currentPrompt(page)).toBe('p1');
    expect(await page.$$eval('.ranking-list > li', (els) => els.length)).toBe(4);
    // The chat turns, the system turn among them, and the guidelines beside the list.
    expect(await page.$$eval('.chat-turn', (els) => els.map((e) => e.getAttribute('data-role')))).toEqual(['system', 'user']);
    expect(await page.textContent('.guidelines')).toContain('Correct beats fluent');
    expect(await page.textContent('.key-legend')).toContain('put at rank');
  });

  it('renders untrusted markdown without running or fetching anything', async () => {
    await page.waitForSelector('.ranking-list code.hljs, .ranking-list code[class*="language-"]');
    expect(await page.$$eval('.ranking-list .hljs-string, .ranking-list .hljs-number, .ranking-list .hljs-built_in', (els) => els.length)).toBeGreaterThan(0);
    expect(await page.$$eval('.ranking-list table', (els) => els.length)).toBe(1);
    expect(await page.$$eval('main script, main img, main iframe', (els) => els.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const hrefs = await page.$$eval('.ranking-list a', (els) => els.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel') })));
    expect(hrefs.some((h) => /^\s*(javascript|data):/i.test(h.href ?? ''))).toBe(false);
    expect(hrefs.find((h) => h.href === 'https://example.org/docs')?.rel).toBe('noopener noreferrer nofollow');
    // The raw HTML is shown as the model wrote it, and the image as a link to where it points.
    const body = (await page.textContent('.ranking-list')) ?? '';
    expect(body).toContain('<script>window.__pwned = 1</script>');
    expect(body).toContain('[image: tracking pixel]');
    expect(foreignRequests).toEqual([]);
  });

  it('ranks task 1 by keyboard only, with a tie, and submits with Enter', async () => {
    const shown = (await screenRanking(page)).flat();
    expect(shown).toHaveLength(4);
    const [a, b, c, d] = shown as [number, number, number, number];
    await page.keyboard.press('ArrowDown'); // choose b
    await page.keyboard.press('1'); // b to the top: b a c d
    await page.keyboard.press('ArrowDown'); // choose a
    await page.keyboard.press('Alt+ArrowDown'); // a one down: b c a d
    await page.keyboard.press('j'); // choose d
    await page.keyboard.press('t'); // d ties with a: b c a=d
    const onScreen = await screenRanking(page);
    expect(onScreen).toEqual([[b], [c], [a, d]]);
    expect(await page.$$eval('.ranking-list > li', (els) => els.map((e) => e.getAttribute('data-rank')))).toEqual(['1', '2', '=3', '=3']);

    mkdirSync(join(repoRoot, 'test', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test', 'screenshots', 'label-page.png') });

    const before = await currentTask(page);
    submitted.set(await currentPrompt(page), onScreen);
    await page.keyboard.press('Enter');
    await nextTaskShown(page, before);
    expect(await currentPrompt(page)).toBe('p2');
    await page.waitForFunction(() => document.querySelector('[data-count="done"]')?.textContent === '1');
  });

  it('ranks task 2 by dragging the last card to the top, and submits with the button', async () => {
    const shown = (await screenRanking(page)).flat();
    const last = shown[3] as number;
    // Measure only once the new task has settled: a lazily loaded chunk (code highlighting) can still change card heights.
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const dragLastToTop = async () => {
      const rail = page.locator(`.ranking-list > li[data-response-id="${last}"] .card-rail`);
      const from = await rail.boundingBox();
      const to = await page.locator('.ranking-list > li').first().boundingBox();
      if (!from || !to) throw new Error('cards have no boxes');
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 4 });
      await page.mouse.move(from.x + from.width / 2, to.y + to.height / 2 - 4, { steps: 20 });
      await page.waitForTimeout(150);
      await page.mouse.up();
    };
    const lastOnTop = () => page.waitForFunction((id) => document.querySelector('.ranking-list > li')?.getAttribute('data-response-id') === String(id), last, { timeout: 5_000 });
    await dragLastToTop();
    // A drag on a loaded 2-core CI box can miss its target; one more try, and the stored order is checked against the screen either way.
    await lastOnTop().catch(async () => {
      await dragLastToTop();
      await lastOnTop();
    });
    const onScreen = await screenRanking(page);
    expect(onScreen).toEqual([[last], ...shown.slice(0, 3).map((id) => [id])]);

    const before = await currentTask(page);
    submitted.set(await currentPrompt(page), onScreen);
    // dnd-kit swallows every click for 50 ms after a drop, so that the drop itself never clicks; a person is never that quick.
    await page.waitForTimeout(100);
    await page.click('button.submit');
    await nextTaskShown(page, before);
    expect(await currentPrompt(page)).toBe('p3');
  });

  it('stores exactly the order that was on screen', async () => {
    for (const [externalId, tiers] of submitted) {
      const stored = await rankingOf(externalId);
      expect(stored?.ranking, externalId).toEqual(tiers);
      expect(stored?.notRankable).toBe(false);
      expect(stored?.durationMs).toBeGreaterThan(0);
    }
  });

  it('stores flags and a comment sent with Ctrl+Enter from the comment box, kept across a reload', async () => {
    await page.waitForTimeout(450);
    const shownOrder = (await screenRanking(page)).flat();
    const [first, second] = shownOrder as [number, number];
    await page.keyboard.press('h'); // first card: harmful
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('w');
    await page.keyboard.press('o');
    await page.keyboard.press('h');
    await page.keyboard.press('h'); // toggled on and off again
    expect(await page.$$eval(`li[data-response-id="${second}"] .flag-toggle.is-on`, (els) => els.map((e) => e.getAttribute('data-flag')))).toEqual(['factually-wrong', 'off-instruction']);
    await page.keyboard.press('c');
    // Keys typed into the comment are text, not commands (this one has n, s, t, h and digits in it).
    await page.keyboard.type('B says Sydney: wrong since 1913. Thanks!');
    expect(await screenRanking(page)).toEqual(shownOrder.map((id) => [id]));
    const before = await currentTask(page);
    // A reload (or a crashed tab) gives the same task back as the labeler left it: flags, comment, order.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+ArrowUp'); // the second card one up
    const beforeReload = await screenRanking(page);
    expect(beforeReload).toEqual([[second], [first], ...shownOrder.slice(2).map((id) => [id])]);
    await page.reload();
    await page.waitForSelector('.draft-note');
    await page.screenshot({ path: join(repoRoot, 'test', 'screenshots', 'label-page-restored.png') });
    expect(await currentTask(page)).toBe(before);
    expect(await screenRanking(page)).toEqual(beforeReload);
    // The top card has the focus, as on any new task, so the keys go on from there.
    await page.waitForFunction((id) => document.activeElement?.closest('li')?.getAttribute('data-response-id') === String(id), second);
    expect(await page.inputValue('textarea[name=comment]')).toBe('B says Sydney: wrong since 1913. Thanks!');
    expect(await page.$$eval(`li[data-response-id="${second}"] .flag-toggle.is-on`, (els) => els.map((e) => e.getAttribute('data-flag')))).toEqual(['factually-wrong', 'off-instruction']);
    await page.click('textarea[name=comment]');
    const onScreen = await screenRanking(page);
    await page.keyboard.press('Control+Enter');
    await nextTaskShown(page, before);
    const stored = await rankingOf('p3');
    expect(stored?.ranking).toEqual(onScreen);
    expect(stored?.flags).toEqual({ [first]: ['harmful'], [second]: ['factually-wrong', 'off-instruction'] });
    expect(stored?.comment).toBe('B says Sydney: wrong since 1913. Thanks!');
  });

  it('moves a card with the drag handle by keyboard (Space, arrow, Space), then marks the task not rankable', async () => {
    expect(await currentPrompt(page)).toBe('p4');
    await page.waitForTimeout(450);
    // Marked and unmarked again is back to nothing done: a reload must not bring "not rankable" back.
    await page.keyboard.press('n');
    await page.waitForSelector('.not-rankable-note');
    await page.keyboard.press('n');
    await page.waitForSelector('.not-rankable-note', { state: 'detached' });
    await page.reload();
    await page.waitForSelector('.ranking-list > li');
    expect(await page.locator('.not-rankable-note, .draft-note').count()).toBe(0);
    await page.waitForTimeout(450);
    const [first, second, ...rest] = (await screenRanking(page)).flat();
    await page.focus(`.ranking-list > li[data-response-id="${second}"] .card-rail`);
    await page.keyboard.press('Space');
    // On a loaded machine the lifted card may not be measured yet after a fixed pause: wait for the lift, then for the
    // card above to make way, before dropping.
    await page.waitForSelector('.response-card.is-dragging');
    await page.waitForTimeout(100);
    const madeWay = () =>
      page.waitForFunction((id) => /translate3d\(0px, [1-9]/.test((document.querySelector(`.ranking-list > li[data-response-id="${id}"]`) as HTMLElement | null)?.style.transform ?? ''), first, { timeout: 3_000 });
    await page.keyboard.press('ArrowUp');
    // A second ArrowUp cannot overshoot: the card is going to the top.
    await madeWay().catch(async () => {
      await page.keyboard.press('ArrowUp');
      await madeWay();
    });
    await page.keyboard.press('Space');
    await page.waitForFunction((id) => document.querySelector('.ranking-list > li')?.getAttribute('data-response-id') === String(id), second);
    expect(await screenRanking(page)).toEqual([second, first, ...rest].map((id) => [id]));
    await page.keyboard.press('n');
    await page.waitForSelector('.not-rankable-note');
    const before = await currentTask(page);
    await page.keyboard.press('Enter');
    await nextTaskShown(page, before);
    const stored = await rankingOf('p4');
    expect(stored?.notRankable).toBe(true);
    expect(stored?.ranking).toEqual([]);
  });

  it('skips a task with a reason, then says nothing is left', async () => {
    expect(await currentPrompt(page)).toBe('p5');
    const assignmentId = Number(await currentTask(page));
    await page.keyboard.press('s');
    await page.waitForSelector('input[name=skip-reason]:focus');
    await page.keyboard.type('I cannot judge biochemistry');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.all-done');
    const db = new Database(product.dbFile, { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('SELECT state, skip_reason AS reason FROM assignments WHERE id = ?').get(assignmentId)).toEqual({ state: 'skipped', reason: 'I cannot judge biochemistry' });
    } finally {
      db.close();
    }
    const project = await admin.get(`/api/projects/${projectId}`);
    expect(project.body.project.progress.labelers).toEqual(expect.arrayContaining([expect.objectContaining({ username: labeler.username, rankings: 4, skips: 1 })]));
    await page.waitForFunction(() => document.querySelector('[data-count="left"]')?.textContent === '0');
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it('leaves no unsubmitted work in the browser after logging out', async () => {
    // A draft of a task still open when the labeler logs out, as the ranking page stores it.
    await page.evaluate(() => localStorage.setItem('podium.draft.9999', JSON.stringify({ comment: 'half-written', savedAt: Date.now() })));
    await page.click('button:has-text("Log out")');
    await page.waitForURL('**/login');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('podium.draft.')))).toEqual([]);
  });
});
