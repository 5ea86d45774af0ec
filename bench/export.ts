import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
import type { ExportRead } from '../server/export/export-types.ts';

const basePrompts = Number(process.env.BENCH_EXPORT_PROMPTS ?? 100_000);

type Measure = { lines: number; seconds: number; baselineSeconds: number; readSeconds: number; pairsPerSec: number; baselinePairsPerSec: number; peakRssMb: number; cpuMsPer1kPairs: number; baselineCpuMsPer1kPairs: number; mainThreadCpuMsPer1kPairs: number | null };

/** CPU time (user + system, every thread of the process) since `from`, in ms: steadier than wall time on a shared machine. */
const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/**
 * CPU time of this process's main thread alone, in ms (Linux, 10 ms ticks; null elsewhere): the export's own work, without
 * what V8's helper threads spend on its garbage beside it.
 */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Runs in a child process per data size, so each size's peak RSS is its own. */
async function measure(dbFile: string, projectId: number): Promise<Measure> {
  // A postgres:// argument is the scratch database the parent seeded; anything else a SQLite file.
  const store = await openStore(dbFile.startsWith('postgres') ? { dbFile: '', databaseUrl: dbFile } : { dbFile });
  const settings = { ...exportSettingsSchema.parse({ format: 'trl', strategy: 'all' }), minLabelers: 1 };
  const devNull = openSync('/dev/null', 'w');
  const c0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const t0 = performance.now();
  // Read as the export route reads a one-criterion project: under its criterion, which every pair's provenance names.
  const read: ExportRead = { selection: { key: defaultCriteria[0]!.key, first: true }, criteria: defaultCriteria };
  let exportBytes = 0;
  const counts = await streamExport(store.exportSource.batches(projectId, read), settings, (chunk) => {
    exportBytes += writeSync(devNull, chunk);
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpuMs = cpuMsSince(c0);
  const main1 = mainThreadCpuMs();
  // The export's own peak, read before the baseline's allocations can count against it.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // Baseline: serialising the same records straight to /dev/null. A second, untimed pass of the export hands over its
  // chunks; each chunk's lines are parsed back into records off the clock, and only JSON.stringify of those records
  // and the write of their lines (one write per chunk, as the export writes) are timed. The records are the export's
  // own, so the baseline writes the same bytes (checked below) rather than a look-alike of other shape and sizes.
  let baselineMs = 0;
  let baselineCpuMs = 0;
  let baselineBytes = 0;
  await streamExport(store.exportSource.batches(projectId, read), settings, (chunk) => {
    const records = chunk.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
    const c = process.cpuUsage();
    const t = performance.now();
    let text = '';
    for (const record of records) text += JSON.stringify(record) + '\n';
    baselineBytes += writeSync(devNull, text);
    baselineMs += performance.now() - t;
    baselineCpuMs += cpuMsSince(c);
  });
  if (baselineBytes !== exportBytes) throw new Error(`the baseline wrote ${baselineBytes} bytes, the export ${exportBytes}: not the same records`);
  const baselineSeconds = baselineMs / 1000;
  // Reading alone: the source's batches drained with no lines built, so the export's time can be set against reading
  // the same records and serialising them, the least an export that reads its database must do (decision 044).
  const r0 = performance.now();
  for await (const batch of store.exportSource.batches(projectId, read)) void batch;
  const readSeconds = (performance.now() - r0) / 1000;
  closeSync(devNull);
  await store.close();
  const per1k = (ms: number): number => (ms * 1000) / counts.lines;
  return {
    lines: counts.lines,
    seconds,
    baselineSeconds,
    readSeconds,
    pairsPerSec: counts.lines / seconds,
    baselinePairsPerSec: counts.lines / baselineSeconds,
    peakRssMb,
    cpuMsPer1kPairs: per1k(cpuMs),
    baselineCpuMsPer1kPairs: per1k(baselineCpuMs),
    mainThreadCpuMsPer1kPairs: main0 === null || main1 === null ? null : per1k(main1 - main0),
  };
}

async function measureInChild(prompts: number, dir: string, scattered = false): Promise<Measure> {
  // With PODIUM_DATABASE_URL the data goes to a scratch database on that Postgres server.
  const serverUrl = process.env.PODIUM_DATABASE_URL || undefined;
  const scratch = serverUrl ? await scratchDatabase(serverUrl, 'podium_bench_export') : null;
  try {
    const dbFile = scratch?.url ?? join(dir, `export-${prompts}${scattered ? '-scattered' : ''}.db`);
    const store = await openStore({ dbFile, databaseUrl: scratch?.url });
    const projectId = await seedRankedProject(store.engine, { prompts, k: 4, labelers: 4, seed: 7, scattered });
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
    // The same size with its rankings stored in no particular order, as a project labelled for a while has them.
    const scattered = await measureInChild(basePrompts, dir, true);
    return {
      bench: 'export',
      engine: process.env.PODIUM_DATABASE_URL ? 'postgres' : 'sqlite',
      prompts: basePrompts,
      pairs: one.lines,
      pairsPerSec: Math.round(one.pairsPerSec),
      baselinePairsPerSec: Math.round(one.baselinePairsPerSec),
      ratio: Number((one.pairsPerSec / one.baselinePairsPerSec).toFixed(3)),
      seconds: Number(one.seconds.toFixed(3)),
      baselineSeconds: Number(one.baselineSeconds.toFixed(3)),
      readSeconds: Number(one.readSeconds.toFixed(3)),
      // The export against reading its records and then serialising them: above 1, it costs less than the two apart.
      readAndSerialiseRatio: Number(((one.readSeconds + one.baselineSeconds) / one.seconds).toFixed(3)),
      peakRssMb: Math.round(one.peakRssMb),
      peakRssMbDoubled: Math.round(two.peakRssMb),
      pairsPerSecDoubled: Math.round(two.pairsPerSec),
      pairsPerSecScattered: Math.round(scattered.pairsPerSec),
      ratioScattered: Number((scattered.pairsPerSec / scattered.baselinePairsPerSec).toFixed(3)),
      cpuMsPer1kPairsScattered: Number(scattered.cpuMsPer1kPairs.toFixed(1)),
      cpuMsPer1kPairs: Number(one.cpuMsPer1kPairs.toFixed(1)),
      baselineCpuMsPer1kPairs: Number(one.baselineCpuMsPer1kPairs.toFixed(1)),
      cpuRatio: Number((one.baselineCpuMsPer1kPairs / one.cpuMsPer1kPairs).toFixed(3)),
      // The baseline's CPU over the export's main thread's: what the export would reach if its garbage cost nothing.
      mainThreadCpuRatio: one.mainThreadCpuMsPer1kPairs ? Number((one.baselineCpuMsPer1kPairs / one.mainThreadCpuMsPer1kPairs).toFixed(3)) : null,
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
