import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../server/paths.ts';
import { seedRankedProject } from '../../bench/support/seed-rankings.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

it('`podium export | head -1` ends quietly when the reader closes the pipe early', async () => {
  // far more than a pipe's 64 KB buffer, so the export is still writing when its reader goes away
  const projectId = await seedRankedProject(server.store.engine, { prompts: 2_000, k: 4, labelers: 3 });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'export', '--project', String(projectId)], {
    cwd: repoRoot,
    env: { ...process.env, ...server.dbEnv },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = await new Promise<string>((resolve) => {
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      const end = seen.indexOf('\n');
      if (end >= 0) {
        child.stdout.destroy(); // what `head -1` does once it has its line
        resolve(seen.slice(0, end));
      }
    });
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  expect(JSON.parse(firstLine)).toHaveProperty('chosen');
  expect(stderr).not.toMatch(/EPIPE|Error/);
  expect(status).toBe(0);
});
