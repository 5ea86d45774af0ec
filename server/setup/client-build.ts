import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds client/dist with Vite when it is missing or older than the client and shared sources. */
export async function ensureClientBuilt(log: (line: string) => void): Promise<void> {
  const built = join(repoRoot, 'client', 'dist', 'index.html');
  const sources = [join(repoRoot, 'client'), join(repoRoot, 'shared'), join(repoRoot, 'vite.config.ts')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  log('Building the client…');
  const { build } = await import('vite');
  // A product started from a test run inherits NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'vite.config.ts'), root: join(repoRoot, 'client'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
