import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { postgresBinaries } from './postgres-binaries.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the throwaway cluster; each test server makes its own database on it. */
    postgresUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user the Debian package creates. */
function asClusterUser(bin: string, args: string[]): void {
  const root = userInfo().uid === 0;
  const [cmd, argv] = root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/**
 * Global setup of the `postgres` test project: a throwaway cluster in a temp dir, on a free loopback port,
 * trusting local connections (nothing else can reach it), durability off (it is deleted at teardown).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('Postgres binaries not found (install Debian\'s postgresql package, or set PODIUM_PG_BIN): the API suite on Postgres cannot run');
  const dir = mkdtempSync(join(tmpdir(), 'podium-pg-'));
  const data = join(dir, 'data');
  if (userInfo().uid === 0) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root needs the `postgres` system user (Debian\'s postgresql package creates it)');
    chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  }
  asClusterUser(join(bin, 'initdb'), ['-D', data, '-U', 'podium', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=400'];
  asClusterUser(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options.join(' '), '-w', 'start']);
  project.provide('postgresUrl', `postgres://podium@127.0.0.1:${port}/postgres`);
  return async () => {
    try {
      asClusterUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
