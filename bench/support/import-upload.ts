import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export const mb = 1024 * 1024;
const healthEveryMs = 50;

/** JSONL of `bytes` or a little more, line `i` made by `line(i)`. */
export function fill(bytes: number, line: (i: number) => string): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length + 1;
  }
  return Buffer.from(parts.join('\n') + '\n');
}

export function send(url: string, method: string, body: Buffer | null, headers: Record<string, string>, agent: Agent): Promise<{ status: number; bytes: number; text: string; cookie: string | null }> {
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

export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await send(`${url}/api/auth/login`, 'POST', Buffer.from(JSON.stringify({ username, password })), { 'content-type': 'application/json' }, new Agent());
  return res.cookie ?? '';
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Asks /api/health every 50 ms on a new connection each time (a kept-alive one races the server's 5 s keep-alive
 * timeout after a long stall) while `work` runs: the slowest answer, the largest gap between two answers, and the
 * server's peak RSS.
 */
export async function probeHealthDuring<T>(url: string, pid: number | undefined, work: () => Promise<T>) {
  const agent = new Agent({ keepAlive: false });
  const latencies: number[] = [];
  let failures = 0;
  let peakRss = rssMb(pid);
  let lastAnswer = performance.now();
  let maxGap = 0;
  let running = true;
  const poller = (async () => {
    while (running) {
      const t = performance.now();
      const ok = await send(`${url}/api/health`, 'GET', null, {}, agent).then((r) => r.status === 200, () => false);
      const now = performance.now();
      if (ok) {
        latencies.push(now - t);
        maxGap = Math.max(maxGap, now - lastAnswer);
        lastAnswer = now;
      } else failures++;
      peakRss = Math.max(peakRss, rssMb(pid));
      await new Promise((r) => setTimeout(r, healthEveryMs));
    }
  })();
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await poller;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    value,
    seconds: Number(seconds.toFixed(3)),
    health: {
      checks: latencies.length,
      failures,
      maxMs: Number((sorted.at(-1) ?? 0).toFixed(1)),
      p50Ms: Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)),
      // Between two answers, the 50 ms pause included: how long a load balancer would have heard nothing.
      maxGapMs: Number(maxGap.toFixed(1)),
    },
    peakRssMb: Math.round(peakRss),
  };
}

/** One import while health is probed: time, reply size and what the reply says. */
export async function measureImport(url: string, cookie: string, projectId: number, body: Buffer, pid: number | undefined) {
  const agent = new Agent({ keepAlive: true });
  const run = await probeHealthDuring(url, pid, () => send(`${url}/api/projects/${projectId}/import`, 'POST', body, { cookie, 'content-type': 'application/x-ndjson' }, agent));
  agent.destroy();
  const res = run.value;
  const reply = res.text ? (JSON.parse(res.text) as { error?: { badLines?: number; issues?: unknown[]; stoppedAtLine?: number }; imported?: number }) : {};
  return {
    mb: Number((body.length / mb).toFixed(1)),
    status: res.status,
    seconds: run.seconds,
    secondsPerMb: Number((run.seconds / (body.length / mb)).toFixed(3)),
    replyBytes: res.bytes,
    ...(reply.error ? { issues: reply.error.issues?.length ?? 0, badLines: reply.error.badLines, stoppedAtLine: reply.error.stoppedAtLine ?? null } : { imported: reply.imported }),
    healthChecks: run.health.checks,
    healthFailures: run.health.failures,
    healthMaxMs: run.health.maxMs,
    healthP50Ms: run.health.p50Ms,
    healthMaxGapMs: run.health.maxGapMs,
    peakRssMb: run.peakRssMb,
  };
}
