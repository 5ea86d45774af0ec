import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../support/browser.ts';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { repoRoot } from '../../server/paths.ts';

const adminPassword = 'xss-admin-password';
const labeler = { username: 'xena', password: 'xena-password-123' };

// Every payload either sets window.__pwned, calls alert, or asks tracker.example for something; none may succeed.
const payloads = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img-onerror\'">',
  '<svg onload="window.__pwned = \'svg-onload\'"><circle r="5"/></svg>',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '<a href="javascript:window.__pwned=\'raw-a\'">raw html link</a>',
  '[markdown link](javascript:window.__pwned=\'md-link\')',
  '[mixed case](JaVaScRiPt:window.__pwned=\'md-case\')',
  '[entity](java&#x09;script:window.__pwned=\'md-entity\')',
  '[ref link][evil]\n\n[evil]: javascript:window.__pwned=\'md-ref\'',
  '<javascript:window.__pwned=\'autolink\'>',
  '[data](data:text/html,<script>parent.__pwned=1</script>)',
  '![remote image](http://tracker.example/pixel.png)',
  '![image title](http://tracker.example/t.png "onerror=alert(1)")',
  '<img src="http://tracker.example/raw.png">',
  '<object data="http://tracker.example/x.swf"></object><embed src="http://tracker.example/y">',
  '<style>body{background:url(http://tracker.example/css.png)}</style>',
  '<meta http-equiv="refresh" content="0;url=http://tracker.example/">',
  '<form action="http://tracker.example/"><button>send</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
  '<details open ontoggle="window.__pwned=\'details\'">x</details>',
];
const hostile = (where: string) => `**${where}** ${payloads.join('\n\n')}`;

describe.skipIf(!hasBrowser)('untrusted text in Chromium', () => {
  let product: Product;
  let admin: ApiClient;
  let browser: Browser;
  let projectId: number;
  const foreign: string[] = [];
  const violations: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];

  /** A fresh browser context whose every request to another host is recorded and refused. */
  async function watchedPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 } });
    const origin = new URL(product.url).origin;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) {
        foreign.push(url.href);
        return route.abort();
      }
      return route.continue();
    });
    // CSP would block a fetch before the network sees it; count what it blocked too, since markup that tries is already a bug.
    await context.exposeFunction('__reportViolation', (v: string) => violations.push(v));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page };
  }

  async function assertNothingRan(page: Page, where: string) {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), where).toBeUndefined();
    const active = await page.$$eval('#root script, #root iframe, #root object, #root embed, #root svg[onload], #root [onerror], #root [onload], #root [ontoggle], #root style, #root meta, #root form[action^="http"], #root img[src^="http"]', (els) =>
      els.map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(active, where).toEqual([]);
    const hrefs = await page.$$eval('#root a[href]', (els) => els.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^\s*(javascript|vbscript|data):/i.test(h.replace(/[\u0000-\u0020]/g, ''))), where).toEqual([]);
    expect(dialogs, where).toEqual([]);
    expect(foreign, where).toEqual([]);
    expect(violations, where).toEqual([]);
  }

  beforeAll(async () => {
    product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
    admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    const created = await admin.post('/api/projects', { name: 'Hostile text', guidelines: hostile('guidelines'), responsesPerPrompt: 4, labelersPerPrompt: 1, allowTies: true });
    expect(created.status).toBe(201);
    projectId = created.body.project.id as number;
    const line = {
      id: 'x1',
      messages: [
        { role: 'system', content: hostile('system turn') },
        { role: 'user', content: hostile('user turn') },
      ],
      responses: ['response one', 'response two', 'response three', 'response four'].map((r) => hostile(r)),
    };
    const imported = await admin.post(`/api/projects/${projectId}/import`, jsonl([line]));
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const user = await admin.post('/api/users', { ...labeler, role: 'labeler' });
    await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id });
    // An attacker's "username" lands in the audit log the admin page shows.
    await new ApiClient(product.url).post('/api/auth/login', { username: '<img src=x onerror=alert(1)>', password: 'whatever' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('the ranking page shows prompts, responses and guidelines full of payloads as inert text', async () => {
    const { context, page } = await watchedPage();
    await page.goto(`${product.url}/login?next=/projects/${projectId}/label`);
    await page.fill('input[name=username]', labeler.username);
    await page.fill('input[name=password]', labeler.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.ranking-list > li');
    // give onerror/onload handlers and lazy chunks a moment to fire if anything slipped through
    await page.waitForTimeout(500);
    const text = (await page.textContent('#root')) ?? '';
    expect(text).toContain('<script>window.__pwned = "script"</script>');
    expect(text).toContain('response four');
    expect(text).toContain('user turn');
    await assertNothingRan(page, 'ranking page');
    mkdirSync(join(repoRoot, 'test', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test', 'screenshots', 'xss.png'), fullPage: false });

    // The labeler's comment is untrusted too; it is shown to the lead next.
    const ranking = await page.evaluate(async (id) => {
      const next = await fetch(`/api/projects/${id}/tasks/next`, { method: 'POST' });
      const a = (await next.json()) as { assignment: { id: number; responses: { id: number }[] } };
      return { id: a.assignment.id, tiers: a.assignment.responses.map((r) => [r.id]) };
    }, projectId);
    const submitted = await page.evaluate(
      async ({ id, tiers, comment }) => (await fetch(`/api/assignments/${id}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ranking: tiers, comment }) })).status,
      { ...ranking, comment: hostile('comment') },
    );
    expect(submitted).toBe(201);
    await context.close();
  });

  it('the results and admin pages show the same payloads (and a hostile username) without running them', async () => {
    const { context, page } = await watchedPage();
    await page.goto(`${product.url}/login?next=/projects/${projectId}/results`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', adminPassword);
    await page.click('button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#root')?.textContent ?? '').includes('response one'), undefined, { timeout: 15_000 });
    await page.waitForTimeout(300);
    await assertNothingRan(page, 'results page');

    await page.goto(`${product.url}/admin`);
    // The audit log writes the failed login as a sentence: "A login as “…” failed".
    await page.waitForFunction(() => (document.querySelector('#root')?.textContent ?? '').includes('A login as'), undefined, { timeout: 15_000 });
    expect((await page.textContent('#root')) ?? '').toContain('A login as “<img src=x onerror=alert(1)>” failed');
    await assertNothingRan(page, 'admin page');
    await context.close();
  });
});
