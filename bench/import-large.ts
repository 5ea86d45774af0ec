import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../server/store/store.ts';
import { hashPassword } from '../server/auth/password.ts';
import { startChild } from './support/start-child.ts';
import { scratchDatabase } from './support/scratch-postgres.ts';
import { fill, login, mb, measureImport, probeHealthDuring } from './support/import-upload.ts';

const k = 4;
const words = (n: number, seed: number) => `w${seed} `.repeat(n);

/** A 25 MB file of ordinary prompts (about 35,000 lines of K = 4 responses). */
export const good25Mb = () => fill(25 * mb, (i) => JSON.stringify({ id: `g${i}`, prompt: `Prompt ${i}: ${words(20, i)}`, responses: [1, 2, 3, 4].map((j) => `Response ${j} to ${i}. ${words(40, j)}`) }));
/** One line of 19.5 MB: a 6 MB prompt and four 3.6 MB responses, all short words. */
export const oneLine19Mb = () => Buffer.from(JSON.stringify({ id: 'big', prompt: words(2_000_000, 0), responses: [1, 2, 3, 4].map((j) => words(1_200_000, j)) }) + '\n');

/**
 * Large valid imports against the real server in its own process, with /api/health asked every 50 ms: the
 * largest gap between two health answers during a 25 MB file and during one 19.5 MB line, beside the same
 * probe with no import (the baseline). With PODIUM_DATABASE_URL set it runs on a scratch Postgres database.
 */
export async function runImportLargeBench() {
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-import-large-'));
  const dbFile = join(dir, 'podium.db');
  const serverUrl = process.env.PODIUM_DATABASE_URL || undefined;
  const scratch = serverUrl ? await scratchDatabase(serverUrl, 'podium_bench_import') : null;
  const store = await openStore({ dbFile, databaseUrl: scratch?.url });
  await store.users.create('admin', await hashPassword('bench-password'), 'admin');
  const project = () => store.projects.create({ name: 'bench', guidelines: '', responsesPerPrompt: k, labelersPerPrompt: 3, allowTies: true, leaseMinutes: 30 }, null);
  const projects = [(await project()).id, (await project()).id];
  await store.close();
  const { url, child } = await startChild(['server/start-api.ts'], { PORT: '0', PODIUM_DB: dbFile, PODIUM_DEMO: '0', PODIUM_DATABASE_URL: scratch?.url ?? '' });
  try {
    const cookie = await login(url, 'admin', 'bench-password');
    const idle = await probeHealthDuring(url, child.pid, () => new Promise((r) => setTimeout(r, 5000)));
    const file = await measureImport(url, cookie, projects[0] as number, good25Mb(), child.pid);
    const line = await measureImport(url, cookie, projects[1] as number, oneLine19Mb(), child.pid);
    return {
      bench: 'import-large',
      engine: scratch ? 'postgres' : 'sqlite',
      healthMaxGapMs: { good25Mb: file.healthMaxGapMs, oneLine19Mb: line.healthMaxGapMs, baselineNoImport: idle.health.maxGapMs },
      good25Mb: file,
      oneLine19Mb: line,
      baselineNoImport: { ...idle.health, peakRssMb: idle.peakRssMb },
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
