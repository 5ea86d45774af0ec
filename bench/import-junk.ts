import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../server/store/store.ts';
import { startChild } from './support/start-child.ts';
import { hashPassword } from '../server/auth/password.ts';

const mb = 1024 * 1024;
const k = 4;
const healthEveryMs = 50;

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

function fill(bytes: number, line: (i: number) => string): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length + 1;
  }
  return Buffer.from(parts.join('\n') + '\n');
}

const startServer = (dbFile: string) => startChild(['server/start-api.ts'], { PORT: '0', PODIUM_DB: dbFile, PODIUM_DEMO: '0' });

function send(url: string, method: string, body: Buffer | null, headers: Record<string, string>, agent: Agent): Promise<{ status: number; bytes: number; text: string; cookie: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: all.length, text: all.length < 64 * 1024 ? all.toString() : '', cookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? null });
      });
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * One import while a second client asks /api/health every 50 ms on its own connection: how long the import takes,
 * how big the reply is, the slowest health answer and the server's peak RSS while it ran.
 */
async function measure(url: string, cookie: string, projectId: number, body: Buffer, pid: number | undefined) {
  const importAgent = new Agent({ keepAlive: true });
  // A new connection per check: a kept-alive one races the server's 5 s keep-alive timeout after a long stall.
  const healthAgent = new Agent({ keepAlive: false });
  const latencies: number[] = [];
  let healthFailures = 0;
  let peakRss = rssMb(pid);
  let running = true;
  const poller = (async () => {
    while (running) {
      const t = performance.now();
      const ok = await send(`${url}/api/health`, 'GET', null, {}, healthAgent).then((r) => r.status === 200, () => false);
      if (ok) latencies.push(performance.now() - t);
      else healthFailures++;
      peakRss = Math.max(peakRss, rssMb(pid));
      await new Promise((r) => setTimeout(r, healthEveryMs));
    }
  })();
  const started = performance.now();
  const res = await send(`${url}/api/projects/${projectId}/import`, 'POST', body, { cookie, 'content-type': 'application/x-ndjson' }, importAgent);
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await poller;
  importAgent.destroy();
  healthAgent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const reply = res.text ? (JSON.parse(res.text) as { error?: { badLines?: number; issues?: unknown[]; stoppedAtLine?: number }; imported?: number }) : {};
  return {
    mb: Number((body.length / mb).toFixed(1)),
    status: res.status,
    seconds: Number(seconds.toFixed(3)),
    secondsPerMb: Number((seconds / (body.length / mb)).toFixed(3)),
    replyBytes: res.bytes,
    ...(reply.error ? { issues: reply.error.issues?.length ?? 0, badLines: reply.error.badLines, stoppedAtLine: reply.error.stoppedAtLine ?? null } : { imported: reply.imported }),
    healthChecks: latencies.length,
    healthFailures,
    healthMaxMs: Number((sorted.at(-1) ?? 0).toFixed(1)),
    healthP50Ms: Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)),
    peakRssMb: Math.round(peakRss),
  };
}

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
    const login = await send(`${url}/api/auth/login`, 'POST', Buffer.from(JSON.stringify({ username: 'admin', password: 'bench-password' })), { 'content-type': 'application/json' }, new Agent());
    const cookie = login.cookie ?? '';
    const words = (n: number, seed: number) => `w${seed} `.repeat(n);
    const cases: [string, Buffer][] = [
      ['junk10Mb', fill(10 * mb, junkLine)],
      ['junk25Mb', fill(25 * mb, junkLine)],
      ['oneLine20Mb', Buffer.from(JSON.stringify({ id: 'big', prompt: words(2_000_000, 0), responses: [1, 2, 3, 4].map((j) => words(1_200_000, j)) }) + '\n')],
      ['oneBadLine20Mb', Buffer.from(JSON.stringify({ prompt: 'x', messages: Array.from({ length: 700_000 }, () => ({ role: 'tool', content: '' })) }) + '\n')],
      ['good25Mb', fill(25 * mb, (i) => JSON.stringify({ id: `g${i}`, prompt: `Prompt ${i}: ${words(20, i)}`, responses: [1, 2, 3, 4].map((j) => `Response ${j} to ${i}. ${words(40, j)}`) }))],
    ];
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [i, [name, body]] of cases.entries()) results[name] = await measure(url, cookie, projects[i] as number, body, child.pid);
    const healthMaxMs = Math.max(...Object.values(results).map((r) => r.healthMaxMs));
    return { bench: 'import-junk', healthMaxMs, ...results };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
