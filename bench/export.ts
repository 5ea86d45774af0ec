import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../server/store/store.ts';
import { scratchDatabase } from './support/scratch-postgres.ts';
import { exportSettingsSchema } from '../server/export/export-lines.ts';
import { streamExport } from '../server/export/stream-export.ts';
import { repoRoot } from '../server/paths.ts';
import { defaultCriteria } from '../shared/criteria.ts';
import { seedRankedProject } from './support/seed-rankings.ts';

const basePrompts = Number(process.env.BENCH_EXPORT_PROMPTS ?? 100_000);

type Measure = { lines: number; seconds: number; pairsPerSec: number; baselinePairsPerSec: number; peakRssMb: number; cpuMsPer1kPairs: number; baselineCpuMsPer1kPairs: number };

/** CPU time (user + system, every thread of the process) since `from`, in ms: steadier than wall time on a shared machine. */
const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/** Runs in a child process per data size, so each size's peak RSS is its own. */
async function measure(dbFile: string, projectId: number): Promise<Measure> {
  // A postgres:// argument is the scratch database the parent seeded; anything else a SQLite file.
  const store = await openStore(dbFile.startsWith('postgres') ? { dbFile: '', databaseUrl: dbFile } : { dbFile });
  const settings = { ...exportSettingsSchema.parse({ format: 'trl', strategy: 'all' }), minLabelers: 1 };
  const devNull = openSync('/dev/null', 'w');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // Read as the export route reads a one-criterion project: under its criterion, which every pair's provenance names.
  const counts = await streamExport(store.exportSource.batches(projectId, { selection: { key: defaultCriteria[0]!.key, first: true }, criteria: defaultCriteria }), settings, (chunk) => writeSync(devNull, chunk));
  const seconds = (performance.now() - t0) / 1000;
  const cpuMs = cpuMsSince(c0);
  // The export's own peak, read before the baseline's allocations can count against it.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // Baseline: the same number of records of the same shape and sizes, serialised straight to /dev/null.
  const text = (j: number, p: number) => `Response ${j} to prompt ${p}. `.repeat(12);
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  let written = 0;
  for (let p = 0; written < counts.lines; p++) {
    let chunk = '';
    for (let i = 0; i < 6 && written < counts.lines; i++, written++) {
      const record = {
        prompt: `Prompt ${p}: explain the idea in two short paragraphs for a curious reader.`,
        chosen: text(i % 4, p),
        rejected: text((i + 1) % 4, p),
        margin: 0.75,
        podium: { promptId: p, externalId: `seed-${p}`, chosenId: i, rejectedId: i + 1, chosenMeanRank: 1.5, rejectedMeanRank: 2.25, votes: { for: 3, against: 1, tied: 0 }, agreement: 0.75, labelers: 4, chosenModel: 'sft-v1', rejectedModel: 'sft-v2' },
      };
      chunk += JSON.stringify(record) + '\n';
    }
    writeSync(devNull, chunk);
  }
  const baselineSeconds = (performance.now() - t1) / 1000;
  const baselineCpuMs = cpuMsSince(c1);
  closeSync(devNull);
  await store.close();
  const per1k = (ms: number): number => (ms * 1000) / counts.lines;
  return {
    lines: counts.lines,
    seconds,
    pairsPerSec: counts.lines / seconds,
    baselinePairsPerSec: counts.lines / baselineSeconds,
    peakRssMb,
    cpuMsPer1kPairs: per1k(cpuMs),
    baselineCpuMsPer1kPairs: per1k(baselineCpuMs),
  };
}

async function measureInChild(prompts: number, dir: string): Promise<Measure> {
  // With PODIUM_DATABASE_URL the data goes to a scratch database on that Postgres server.
  const serverUrl = process.env.PODIUM_DATABASE_URL || undefined;
  const scratch = serverUrl ? await scratchDatabase(serverUrl, 'podium_bench_export') : null;
  try {
    const dbFile = scratch?.url ?? join(dir, `export-${prompts}.db`);
    const store = await openStore({ dbFile, databaseUrl: scratch?.url });
    const projectId = await seedRankedProject(store.engine, { prompts, k: 4, labelers: 4, seed: 7 });
    await store.close();
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dbFile, String(projectId)], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`export measurement failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Measure;
  } finally {
    await scratch?.drop();
  }
}

export async function runExportBench(): Promise<Record<string, unknown>> {
  // The machine's load when the bench starts: with other work on the cores, wall-time rates fall but CPU per pair holds.
  const loadAverage = loadavg().map((l) => Number(l.toFixed(2)));
  const dir = mkdtempSync(join(tmpdir(), 'podium-export-bench-'));
  try {
    const one = await measureInChild(basePrompts, dir);
    const two = await measureInChild(basePrompts * 2, dir);
    return {
      bench: 'export',
      engine: process.env.PODIUM_DATABASE_URL ? 'postgres' : 'sqlite',
      prompts: basePrompts,
      pairs: one.lines,
      pairsPerSec: Math.round(one.pairsPerSec),
      baselinePairsPerSec: Math.round(one.baselinePairsPerSec),
      ratio: Number((one.pairsPerSec / one.baselinePairsPerSec).toFixed(3)),
      peakRssMb: Math.round(one.peakRssMb),
      peakRssMbDoubled: Math.round(two.peakRssMb),
      pairsPerSecDoubled: Math.round(two.pairsPerSec),
      cpuMsPer1kPairs: Number(one.cpuMsPer1kPairs.toFixed(1)),
      baselineCpuMsPer1kPairs: Number(one.baselineCpuMsPer1kPairs.toFixed(1)),
      cpuRatio: Number((one.baselineCpuMsPer1kPairs / one.cpuMsPer1kPairs).toFixed(3)),
      loadAverage,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--measure') console.log(JSON.stringify(await measure(process.argv[3] ?? '', Number(process.argv[4]))));
  else console.log(JSON.stringify(await runExportBench()));
}
