import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../server/paths.ts';

export type Product = { url: string; dbFile: string; dir: string; output: () => string; process: ChildProcess; stop: () => Promise<void> };

/**
 * Starts the product the README way (`npm start` runs server/start.ts), on a free port and a fresh
 * database, and resolves once it prints the address it serves. `detached` puts it in a process group of its
 * own, as a service manager or container runtime does, so a test can kill the whole group.
 */
export async function startProduct(env: Record<string, string> = {}, existing?: { dir: string; dbFile: string }, options: { detached?: boolean } = {}): Promise<Product> {
  const dir = existing?.dir ?? mkdtempSync(join(tmpdir(), 'podium-product-'));
  const dbFile = existing?.dbFile ?? join(dir, 'podium.db');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', PODIUM_DB: dbFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dbFile,
    dir,
    output: () => out,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!existing) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills the product's whole process group at once, as `kill -9` of npm start, a container stop or systemd does. */
export async function killProcessGroup(product: Product): Promise<void> {
  const pid = product.process.pid;
  if (pid === undefined) throw new Error('the product has no pid');
  const exited = new Promise((r) => product.process.once('exit', r));
  process.kill(-pid, 'SIGKILL');
  await exited;
}
