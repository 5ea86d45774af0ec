import { spawn } from 'node:child_process';
import { repoRoot } from '../../server/paths.ts';

export type CliRun = { status: number | null; stdout: string; stderr: string };

/**
 * `npm run podium -- ARGS` as a user runs it, asynchronously: the test's server runs in this process, so a
 * blocking spawnSync would stall it too and its idle keep-alive sockets would close under the next request.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
