import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../server/store/store.ts';
import { startChild } from './support/start-child.ts';
import { hashPassword } from '../server/auth/password.ts';
import { fill, login, mb, measureImport } from './support/import-upload.ts';

const k = 4;

/** Lines of the kinds a junk file is made of: not JSON, the wrong shape, trainer-rule violations, one-line explosions. */
const junkLines = [
  'not json',
  '{}',
  '{"prompt": ""}',
  '{"messages": [{"role": "user", "content": "Hi"}, {"role": "system", "content": "late"}]}',
  '{"prompt": "Capital?", "responses": ["Paris.", " Paris. "]}',
  `{"messages": [${Array.from({ length: 2000 }, () => '{"role": "tool"}').join(',')}]}`,
  `{"prompt": "x", "responses": [${Array.from({ length: 5000 }, () => '1').join(',')}]}`,
  `{"prompt": "x", ${Array.from({ length: 500 }, (_, i) => `"unknown${i}": 1`).join(', ')}}`,
];

/** Mostly short junk lines, with one of the large ones every 40 lines. */
const junkLine = (i: number): string => (i % 40 === 39 ? (junkLines[5 + (Math.floor(i / 40) % 3)] as string) : (junkLines[i % 5] as string));

const startServer = (dbFile: string) => startChild(['server/start-api.ts'], { PORT: '0', PODIUM_DB: dbFile, PODIUM_DEMO: '0' });

/** Junk and large imports against the real server in its own process (issue 12's figures: time, reply size, health latency). */
export async function runImportJunkBench() {
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-import-'));
  const dbFile = join(dir, 'podium.db');
  const store = await openStore({ dbFile });
  await store.users.create('admin', await hashPassword('bench-password'), 'admin');
  const projects: number[] = [];
  for (let i = 0; i < 6; i++) projects.push((await store.projects.create({ name: `bench ${i}`, guidelines: '', responsesPerPrompt: k, labelersPerPrompt: 3, allowTies: true, leaseMinutes: 30 }, null)).id);
  await store.close();
  const { url, child } = await startServer(dbFile);
  try {
    const cookie = await login(url, 'admin', 'bench-password');
    const words = (n: number, seed: number) => `w${seed} `.repeat(n);
    const cases: [string, Buffer][] = [
      ['junk10Mb', fill(10 * mb, junkLine)],
      ['junk25Mb', fill(25 * mb, junkLine)],
      ['oneLine20Mb', Buffer.from(JSON.stringify({ id: 'big', prompt: words(2_000_000, 0), responses: [1, 2, 3, 4].map((j) => words(1_200_000, j)) }) + '\n')],
      ['oneBadLine20Mb', Buffer.from(JSON.stringify({ prompt: 'x', messages: Array.from({ length: 700_000 }, () => ({ role: 'tool', content: '' })) }) + '\n')],
      ['good25Mb', fill(25 * mb, (i) => JSON.stringify({ id: `g${i}`, prompt: `Prompt ${i}: ${words(20, i)}`, responses: [1, 2, 3, 4].map((j) => `Response ${j} to ${i}. ${words(40, j)}`) }))],
    ];
    const results: Record<string, Awaited<ReturnType<typeof measureImport>>> = {};
    for (const [i, [name, body]] of cases.entries()) results[name] = await measureImport(url, cookie, projects[i] as number, body, child.pid);
    const healthMaxMs = Math.max(...Object.values(results).map((r) => r.healthMaxMs));
    return { bench: 'import-junk', healthMaxMs, ...results };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
