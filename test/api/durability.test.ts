import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../support/product.ts';
import { ApiClient, jsonl } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

const adminPassword = 'durable-admin-password';
const env = { PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' };
const started: Product[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const p of started) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `npm run podium -- backup` as its own process, the way an operator would beside the running server. */
async function runBackup(dbFile: string, out: string) {
  const run = await runCli(['backup', '--out', out], { PODIUM_DB: dbFile });
  return { code: run.status, output: run.stdout + run.stderr };
}

describe('durability', () => {
  it('every acknowledged ranking survives kill -9; a backup taken while labelers submit opens on its own', async () => {
    const first = await startProduct(env);
    started.push(first);
    dirs.push(first.dir);
    const admin = new ApiClient(first.url);
    await admin.login('admin', adminPassword);
    const n = 40;
    const project = await admin.post('/api/projects', { name: 'durable', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    const projectId = project.body.project.id as number;
    const lines = Array.from({ length: n }, (_, i) => ({ id: `d${i}`, prompt: `Prompt ${i}`, responses: [`a${i}`, `b${i}`] }));
    expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
    const created = await admin.post('/api/users', { username: 'kim', password: 'kim-password', role: 'labeler' });
    await admin.post(`/api/projects/${projectId}/members`, { userId: created.body.user.id });
    const labeler = new ApiClient(first.url);
    await labeler.login('kim', 'kim-password');

    const backupFile = join(first.dir, 'backup.db');
    let backup: Promise<{ code: number | null; output: string }> | null = null;
    let acknowledgedBeforeBackup = 0;
    let acknowledged = 0;
    for (let i = 0; i < n; i++) {
      if (i === n / 2) {
        acknowledgedBeforeBackup = acknowledged;
        backup = runBackup(first.dbFile, backupFile);
      }
      const next = await labeler.post(`/api/projects/${projectId}/tasks/next`);
      expect(next.status).toBe(200);
      const a = next.body.assignment as { id: number; responses: { id: number }[] };
      const res = await labeler.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) });
      expect(res.status).toBe(201);
      acknowledged++;
    }

    // No shutdown handler, no checkpoint: the process is gone mid-flight.
    const exited = new Promise((resolve) => first.process.once('exit', resolve));
    first.process.kill('SIGKILL');
    await exited;

    const second = await startProduct(env, { dir: first.dir, dbFile: first.dbFile });
    started.push(second);
    const again = new ApiClient(second.url);
    await again.login('admin', adminPassword);
    const results = await again.get(`/api/projects/${projectId}/results?limit=1`);
    expect(results.status).toBe(200);
    expect(results.body.total).toBe(acknowledged);

    const done = await backup;
    expect(done?.code, done?.output).toBe(0);
    const copy = new Database(backupFile, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const rankings = (copy.prepare('SELECT count(*) AS n FROM rankings').get() as { n: number }).n;
      expect(rankings).toBeGreaterThanOrEqual(acknowledgedBeforeBackup);
      expect(rankings).toBeLessThanOrEqual(n);
      expect((copy.prepare("SELECT count(*) AS n FROM users WHERE username = 'kim'").get() as { n: number }).n).toBe(1);
    } finally {
      copy.close();
    }
  });
});
