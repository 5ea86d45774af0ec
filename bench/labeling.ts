import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'node:http';
import { openStore } from '../server/store/store.ts';
import { scratchDatabase } from './support/scratch-postgres.ts';
import { hashPassword } from '../server/auth/password.ts';
import { runInTurns, runLoad, timed, type Step } from './support/load.ts';
import { startChild } from './support/start-child.ts';
import { clusterCpu, postmasterOf, statementsDuring } from './support/postgres-cpu.ts';
import { cpuSeconds } from './support/process-cpu.ts';

const prompts = 10_000;
const labelers = 100;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// The submit phase and the bare route run in turns of this many seconds (bench/support/load.ts, runInTurns).
const turnSeconds = Number(process.env.BENCH_TURN_SECONDS ?? 2);
// BENCH_CRITERIA=2: the same run on a project ranked by two criteria, each submit carrying one ranking per criterion.
const criteriaCount = Number(process.env.BENCH_CRITERIA ?? 1);
const benchCriteria = Array.from({ length: criteriaCount }, (_, i) => ({ key: `criterion-${i + 1}`, name: `Criterion ${i + 1}`, description: '', weight: 1 }));


/** A 10k-prompt project with K = 4 and 100 labelers, written straight into a fresh database; R = 10 so both phases have tasks left (100k places). */
async function seed(target: { dbFile: string; databaseUrl?: string | undefined }): Promise<number> {
  const store = await openStore(target);
  const hash = await hashPassword('bench-password');
  await store.users.create('admin', hash, 'admin');
  const project = await store.projects.create({ name: 'bench', guidelines: '', responsesPerPrompt: 4, labelersPerPrompt: 10, allowTies: true, leaseMinutes: 30, ...(criteriaCount > 1 ? { criteria: benchCriteria } : {}) }, null);
  await store.prompts.importPrompts(
    project.id,
    Array.from({ length: prompts }, (_, i) => ({
      line: i + 1,
      externalId: `b${i}`,
      messages: [{ role: 'user' as const, content: `Prompt ${i}: explain something in a paragraph.` }],
      metadata: {},
      responses: Array.from({ length: 4 }, (_, j) => ({ text: `Response ${j} to prompt ${i}. `.repeat(20), model: 'sft' })),
    })),
  );
  for (let i = 0; i < labelers; i++) {
    const u = await store.users.create(`labeler${i}`, hash, 'labeler');
    if (u) await store.projects.addMember(project.id, u.id, 'labeler');
  }
  await store.close();
  return project.id;
}

const perSubmit = (seconds: number | null | undefined, submits: number): number | null =>
  seconds === null || seconds === undefined ? null : Math.round((seconds * 1e6) / Math.max(1, submits));

const agent = new Agent({ keepAlive: true, maxSockets: labelers });

/** A keep-alive POST over loopback: the same client code drives the product and the baseline. */
function post(url: string, body: unknown, cookie?: string): Promise<{ status: number; json: unknown; cookie: string | null }> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(cookie ? { cookie } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? null }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function runLabelingBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-'));
  // With PODIUM_DATABASE_URL, product and baseline run on Postgres, each in a scratch database of that server.
  const serverUrl = process.env.PODIUM_DATABASE_URL || undefined;
  const product_db = serverUrl ? await scratchDatabase(serverUrl, 'podium_bench') : null;
  const bare_db = serverUrl ? await scratchDatabase(serverUrl, 'podium_bench_bare') : null;
  try {
    const projectId = await seed({ dbFile: join(dir, 'podium.db'), databaseUrl: product_db?.url });
    const postmaster = serverUrl ? await postmasterOf(serverUrl) : null;
    const product = await startChild(['server/start-api.ts'], { PORT: '0', PODIUM_DB: join(dir, 'podium.db'), PODIUM_DEMO: '0', PODIUM_DATABASE_URL: product_db?.url ?? '' });
    const bare = bare_db
      ? await startChild([fileURLToPath(new URL('./support/bare-postgres-server.ts', import.meta.url)), bare_db.url], {})
      : await startChild([fileURLToPath(new URL('./support/bare-server.ts', import.meta.url)), join(dir, 'bare.db')], {});
    // CPU readings of a server and, on Postgres, of the database cluster both servers use (only one runs at a time).
    const cpuOf = (pid: number | undefined) => () => [cpuSeconds(pid), postmaster === null ? null : clusterCpu(postmaster)] as const;
    const cookies: string[] = [];
    for (let i = 0; i < labelers; i++) {
      const login = await post(`${product.url}/api/auth/login`, { username: `labeler${i}`, password: 'bench-password' });
      cookies.push(login.cookie ?? '');
    }
    type Task = { id: number; responses: { id: number }[] };
    const tiersOf = (a: Task) => a.responses.map((r) => [r.id]);
    // One criterion: today's `ranking`. Several: `rankings`, each criterion's order a rotation of the last, so they differ.
    const judgementOf = (a: Task) => {
      if (criteriaCount <= 1) return { ranking: tiersOf(a) };
      const tiers = tiersOf(a);
      return { rankings: Object.fromEntries(benchCriteria.map((c, i) => [c.key, [...tiers.slice(i % tiers.length), ...tiers.slice(0, i % tiers.length)]])) };
    };
    // The ranking page's own flow: submit with ?next=1 returns the next task in the same round trip.
    const current: (Task | null)[] = Array.from({ length: labelers }, () => null);
    const submitStep: Step = async (w, time) => {
      const cookie = cookies[w];
      let a = current[w];
      if (!a) {
        const next = await timed(time, () => post(`${product.url}/api/projects/${projectId}/tasks/next`, undefined, cookie));
        if (next.status === 204) return -1;
        a = (next.json as { assignment: Task }).assignment;
      }
      const done = await timed(time, () => post(`${product.url}/api/assignments/${a.id}/submit?next=1`, { ...judgementOf(a), durationMs: 12_000 }, cookie));
      if (done.status !== 201) throw new Error(`submit answered ${done.status}: ${JSON.stringify(done.json)}`);
      current[w] = (done.json as { next: Task | null }).next;
      return 1;
    };
    const bareStep: Step = async (w, time) => {
      const res = await timed(time, () => post(`${bare.url}/submit`, { worker: w, ranking: [[1], [2], [3], [4]], durationMs: 12_000 }));
      if (res.status !== 201) throw new Error(`bare route answered ${res.status}`);
      return 1;
    };
    // The ranking page's flow and the bare route in turns, over the same connections from this one load generator.
    const inTurns = () => runInTurns(labelers, seconds, turnSeconds, [{ step: submitStep, cpu: cpuOf(product.child.pid) }, { step: bareStep, cpu: cpuOf(bare.child.pid) }]);
    const [podium, baseline] = await (product_db ? statementsDuring(serverUrl ?? '', product_db.name, inTurns) : inTurns());
    if (!podium || !baseline) throw new Error('runInTurns returned fewer than two sides');
    // The same work as two requests per task (next-task, then submit), as a script without ?next would do it.
    const separate = await runLoad(labelers, seconds, async (w, time) => {
      const cookie = cookies[w];
      const next = await timed(time, () => post(`${product.url}/api/projects/${projectId}/tasks/next`, undefined, cookie));
      if (next.status === 204) return -1;
      const a = (next.json as { assignment: Task }).assignment;
      const done = await timed(time, () => post(`${product.url}/api/assignments/${a.id}/submit`, { ...judgementOf(a), durationMs: 12_000 }, cookie));
      if (done.status !== 201) throw new Error(`submit answered ${done.status}: ${JSON.stringify(done.json)}`);
      return 1;
    });
    product.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    return {
      bench: 'labeling',
      engine: serverUrl ? 'postgres' : 'sqlite',
      criteria: criteriaCount,
      submitsPerSec: Math.round(podium.perSec),
      baselinePerSec: Math.round(baseline.perSec),
      ratio: Number((podium.perSec / baseline.perSec).toFixed(3)),
      p99Ms: Number(podium.p99Ms.toFixed(1)),
      p50Ms: Number(podium.p50Ms.toFixed(1)),
      baselineP99Ms: Number(baseline.p99Ms.toFixed(1)),
      serverCpuUsPerSubmit: perSubmit(podium.cpuSeconds[0], podium.submits),
      baselineCpuUsPerSubmit: perSubmit(baseline.cpuSeconds[0], baseline.submits),
      ...(serverUrl ? { dbCpuUsPerSubmit: perSubmit(podium.cpuSeconds[1], podium.submits), baselineDbCpuUsPerSubmit: perSubmit(baseline.cpuSeconds[1], baseline.submits) } : {}),
      // The load generator's own CPU per request it sent: it shares the machine's two cores with the server under test.
      loadCpuUsPerSubmit: perSubmit(podium.loadCpuSeconds, podium.submits),
      baselineLoadCpuUsPerSubmit: perSubmit(baseline.loadCpuSeconds, baseline.submits),
      separateRequestsPerSec: Math.round(separate.perSec),
      separateRatio: Number((separate.perSec / baseline.perSec).toFixed(3)),
      separateP99Ms: Number(separate.p99Ms.toFixed(1)),
      submits: podium.submits + separate.submits,
      connections: labelers,
      seconds,
      turnSeconds,
      ...(process.env.BENCH_KEEP_DB && product_db ? { keptDatabase: product_db.name } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // BENCH_KEEP_DB=1 keeps the product's database as the run left it, for EXPLAIN and friends; its name is in the result.
    if (!process.env.BENCH_KEEP_DB) await product_db?.drop();
    await bare_db?.drop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(JSON.stringify(await runLabelingBench()));
