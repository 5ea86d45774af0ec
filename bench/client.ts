import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../server/paths.ts';
import { startProduct } from '../test/support/product.ts';
import { ApiClient, jsonl } from '../test/support/test-server.ts';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';

const tasks = Number(process.env.BENCH_TASKS ?? 20);
const adminPassword = 'bench-admin-password';
const labeler = { username: 'bench-labeler', password: 'bench-labeler-password' };

type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
type Manifest = Record<string, ManifestChunk>;

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** A chunk and every chunk it imports statically: what the browser must fetch before it runs. */
function staticClosure(manifest: Manifest, keys: string[], seen = new Set<string>()): Set<string> {
  for (const key of keys) {
    if (seen.has(key) || !manifest[key]) continue;
    seen.add(key);
    staticClosure(manifest, manifest[key].imports ?? [], seen);
  }
  return seen;
}

// What `npm start` ships. A NODE_ENV inherited from a test runner ("test") would build React's development runtime.
process.env.NODE_ENV = 'production';

/** True when client/dist holds React's development build (its owner-stack marker), which would time the wrong thing. */
function servedBuildIsDevelopment(): boolean {
  const assets = join(repoRoot, 'client', 'dist', 'assets');
  try {
    return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('react-stack-top-frame'));
  } catch {
    return false;
  }
}

/**
 * Builds the client into a scratch directory (client/dist may be serving a running product) and
 * weighs it: all JS, and the JS the ranking page loads (entry, label chunk and their static imports;
 * the highlighting chunk it loads on the first code block is reported on its own).
 */
async function weighBundle(): Promise<Record<string, number>> {
  const outDir = mkdtempSync(join(tmpdir(), 'podium-bundle-'));
  try {
    const { build } = await import('vite');
    await build({ configFile: join(repoRoot, 'vite.config.ts'), root: join(repoRoot, 'client'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, manifest: true } });
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
    const assets = join(outDir, 'assets');
    const allJs = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const bundle = allJs.reduce((sum, f) => sum + gzipped(join(assets, f)), 0);
    const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
    const label = Object.keys(manifest).find((k) => k.endsWith('features/label/label-page.tsx'));
    if (!entry || !label) throw new Error('the manifest has no entry or no label page chunk');
    const labelChunks = staticClosure(manifest, [entry, label]);
    const labelBytes = [...labelChunks].reduce((sum, k) => sum + gzipped(join(outDir, manifest[k]?.file ?? '')), 0);
    const highlight = Object.keys(manifest).find((k) => k.endsWith('components/code-highlight.ts'));
    const highlightChunks = highlight ? [...staticClosure(manifest, [highlight])].filter((k) => !labelChunks.has(k)) : [];
    const highlightBytes = highlightChunks.reduce((sum, k) => sum + gzipped(join(outDir, manifest[k]?.file ?? '')), 0);
    return { bundleGzipKb: kb(bundle), labelPageGzipKb: kb(labelBytes), highlightGzipKb: kb(highlightBytes), jsFiles: allJs.length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Labeler-sized answers: paragraphs, lists and now and then a code block. */
function promptLines(n: number) {
  const para = 'The answer depends on the input size and on whether the list must be kept intact. '.repeat(4);
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-${i}`,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: `Question ${i}: how do I sort a list of records by two keys?` },
    ],
    responses: [
      `${para}\n\n\`\`\`python\nrecords.sort(key=lambda r: (r.last, r.first))\nprint(records[:3])  # ${i}\n\`\`\`\n\nThis is stable.`,
      `${para}\n\n1. Pick the keys.\n2. Use a tuple.\n3. Sort once.`,
      `**Short answer:** use \`sorted(records, key=itemgetter('a', 'b'))\`.\n\n${para}`,
      `${para}\n\n| key | order |\n| --- | --- |\n| last | asc |\n| first | asc |`,
    ],
  }));
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (pos - lo);
}

type ColdLoad = { wireKb: number; wireHighlightKb: number; encodings: string[]; firstPaintMs: number };

/**
 * Opens the ranking page in a fresh browser context (empty cache, the labeler's session cookie only), as a
 * labeler's first visit: the bytes of its scripts as the server sent them (compressed body sizes from the
 * browser's resource timing), and its first contentful paint from Chromium's paint timing. The highlighting
 * chunk, which the page loads only once a text has a code block, is counted on its own.
 */
async function coldLoad(browser: Browser, loggedIn: Page, url: string): Promise<ColdLoad> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  try {
    await context.addCookies(await loggedIn.context().cookies());
    const page = await context.newPage();
    const encodings = new Set<string>();
    page.on('response', (res) => {
      if (res.url().endsWith('.js')) encodings.add(res.headers()['content-encoding'] ?? 'none');
    });
    await page.goto(url);
    await page.waitForSelector('.ranking-list > li .markdown');
    await page.waitForLoadState('networkidle');
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      scripts: (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => new URL(e.name).pathname.endsWith('.js'))
        .map((e) => ({ name: e.name, bytes: e.encodedBodySize })),
    }));
    if (timing.fcp === null) throw new Error('Chromium reported no first-contentful-paint');
    const highlight = (name: string) => name.includes('code-highlight');
    const sum = (xs: { bytes: number }[]) => xs.reduce((total, x) => total + x.bytes, 0);
    return {
      wireKb: kb(sum(timing.scripts.filter((s) => !highlight(s.name)))),
      wireHighlightKb: kb(sum(timing.scripts.filter((s) => highlight(s.name)))),
      encodings: [...encodings].sort(),
      firstPaintMs: Math.round(timing.fcp * 10) / 10,
    };
  } finally {
    await context.close();
  }
}

/**
 * Times Enter → the next task's responses rendered, in headless Chromium against the real product:
 * from the keydown event to the first animation frame after the new task is in the DOM, measured in
 * the page's own clock so the harness's round trips to the browser do not count.
 */
async function timeSubmitToNext(): Promise<{ samples: number[]; wire: ColdLoad }> {
  if (servedBuildIsDevelopment()) {
    const { build } = await import('vite');
    await build({ configFile: join(repoRoot, 'vite.config.ts'), root: join(repoRoot, 'client'), mode: 'production', logLevel: 'warn' });
  }
  const product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
  const browser = await launchBrowser();
  try {
    const admin = new ApiClient(product.url);
    await admin.login('admin', adminPassword);
    const project = await admin.post<{ project: { id: number } }>('/api/projects', { name: 'client bench', guidelines: '# Rank by correctness', responsesPerPrompt: 4, labelersPerPrompt: 1, allowTies: true });
    const projectId = project.body.project.id;
    const imported = await admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(tasks + 3)));
    if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
    const user = await admin.post<{ user: { id: number } }>('/api/users', { ...labeler, role: 'labeler' });
    await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id });

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${product.url}/login?next=/projects/${projectId}/label`);
    await page.fill('input[name=username]', labeler.username);
    await page.fill('input[name=password]', labeler.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.ranking-list > li .markdown');

    const wire = await coldLoad(browser, page, `${product.url}/projects/${projectId}/label`);

    const samples: number[] = [];
    // One warm-up task first: the highlighting chunk and the JIT are a first-task cost, not a per-task one.
    for (let i = 0; i < tasks + 1; i++) {
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('1');
      // The page ignores an Enter in the first 400 ms of a task (a double Enter must not submit the next one).
      await page.waitForTimeout(450);
      await page.evaluate(() => {
        const before = document.querySelector('.task')?.getAttribute('data-assignment-id');
        const w = window as unknown as { __nextShown?: Promise<number> };
        w.__nextShown = new Promise<number>((resolve) => {
          let pressedAt = 0;
          window.addEventListener('keydown', (e) => (e.key === 'Enter' ? (pressedAt = performance.now()) : undefined), { capture: true, once: true });
          const observer = new MutationObserver(() => {
            const task = document.querySelector('.task');
            if (!pressedAt || !task || task.getAttribute('data-assignment-id') === before || !task.querySelector('.ranking-list > li .markdown')) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - pressedAt));
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-assignment-id'] });
        });
      });
      await page.keyboard.press('Enter');
      const ms = await page.evaluate(() => (window as unknown as { __nextShown?: Promise<number> }).__nextShown);
      if (typeof ms !== 'number') throw new Error('no timing came back from the page');
      if (i > 0) samples.push(ms);
    }
    return { samples, wire };
  } finally {
    await browser.close();
    await product.stop();
  }
}

export async function runClientBench(): Promise<Record<string, unknown>> {
  const weights = await weighBundle();
  const { samples, wire } = await timeSubmitToNext();
  return {
    bench: 'client',
    bundleGzipKb: weights.bundleGzipKb,
    labelPageGzipKb: weights.labelPageGzipKb,
    highlightGzipKb: weights.highlightGzipKb,
    submitToNextMs: Math.round(median(samples) * 10) / 10,
    submitToNextP95Ms: Math.round(quantile(samples, 0.95) * 10) / 10,
    tasks: samples.length,
    wireKb: wire.wireKb,
    wireHighlightKb: wire.wireHighlightKb,
    wireEncodings: wire.encodings,
    firstPaintMs: wire.firstPaintMs,
    targets: { bundleGzipKb: 200, submitToNextMs: 150, wireKb: 100 },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runClientBench()));
}
