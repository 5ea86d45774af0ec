import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../server/paths.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { scratchDatabase } from '../../bench/support/scratch-postgres.ts';
import { adminPassword, ApiClient, jsonl } from '../support/test-server.ts';
import { testEngine } from '../support/test-database.ts';

type Assignment = { id: number; responses: { id: number; text: string }[] };

function copyDb(dbFile: string, to: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'copy-db', '--to', to], { cwd: repoRoot, env: { ...process.env, PODIUM_DB: dbFile, PODIUM_DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const dir = mkdtempSync(join(tmpdir(), 'podium-copy-db-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(target: { dbFile: string; databaseUrl?: string }): Promise<{ server: RunningServer; admin: ApiClient }> {
  const server = await startServer({ port: 0, host: '127.0.0.1', ...target, adminPassword, demo: false }, () => {});
  cleanups.push(() => server.close());
  const admin = new ApiClient(server.url);
  await admin.login('admin', adminPassword);
  return { server, admin };
}

// Needs both engines at once, so it runs in the Postgres project only.
describe.skipIf(testEngine !== 'postgres')('podium copy-db', () => {
  it('moves a SQLite database into an empty Postgres one: byte-identical exports, the same results, ids that carry on', async () => {
    const dbFile = join(dir, 'podium.db');
    const sqlite = await serve({ dbFile });
    const project = (await sqlite.admin.post('/api/projects', { name: 'moving', responsesPerPrompt: 3, labelersPerPrompt: 2, allowTies: true })).body.project.id as number;
    const lines = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, prompt: `Question ${i}? ünïcödé ✓`, responses: ['a', 'b', 'c'].map((l) => `p${i}-${l}`), metadata: { n: i } }));
    expect((await sqlite.admin.post(`/api/projects/${project}/import`, jsonl(lines))).status).toBe(200);
    for (const name of ['ana', 'ben']) {
      const made = await sqlite.admin.post('/api/users', { username: name, password: `${name}-password`, role: 'labeler' });
      await sqlite.admin.post(`/api/projects/${project}/members`, { userId: made.body.user.id });
      const labeler = new ApiClient(sqlite.server.url);
      await labeler.login(name, `${name}-password`);
      for (let i = 0; ; i++) {
        const next = await labeler.post(`/api/projects/${project}/tasks/next`);
        if (next.status === 204) break;
        const a = next.body.assignment as Assignment;
        const ids = a.responses.map((r) => r.id).sort((x, y) => x - y);
        // ana ties two; ben skips one prompt; otherwise by id, in turns.
        if (name === 'ben' && i === 2) await labeler.post(`/api/assignments/${a.id}/skip`, { reason: 'unclear' });
        else await labeler.post(`/api/assignments/${a.id}/submit`, { ranking: name === 'ana' ? [[ids[1]], [ids[0], ids[2]]] : ids.map((id) => [id]), comment: `by ${name}` });
      }
    }
    const exportsOf = async (admin: ApiClient) =>
      Promise.all(['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo', 'rankings'].map(async (format) => (await admin.get(`/api/projects/${project}/export?format=${format}&minLabelers=1`)).body as string));
    const before = await exportsOf(sqlite.admin);
    const resultsBefore = (await sqlite.admin.get(`/api/projects/${project}/results`)).body;
    expect(before[0]?.split('\n').length).toBeGreaterThan(3);
    await sqlite.server.close();
    cleanups.pop();

    const target = await scratchDatabase(inject('postgresUrl'), 'podium_copy');
    cleanups.push(target.drop);
    const copied = await copyDb(dbFile, target.url);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/copied \d+ rows/);

    const pg = await serve({ dbFile, databaseUrl: target.url });
    expect(pg.server.store.engine.kind).toBe('postgres');
    expect(await exportsOf(pg.admin)).toEqual(before);
    expect((await pg.admin.get(`/api/projects/${project}/results`)).body).toEqual(resultsBefore);
    // The labelers' accounts came along (password hashes and all), and new rows get ids after the copied ones.
    await new ApiClient(pg.server.url).login('ana', 'ana-password');
    const another = await pg.admin.post('/api/projects', { name: 'after', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    expect(another.status).toBe(201);
    expect(another.body.project.id).toBe(project + 1);

    // A second copy into the now non-empty database is refused, and changes nothing.
    const again = await copyDb(dbFile, target.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);
    expect(await exportsOf(pg.admin)).toEqual(before);
  });
});
