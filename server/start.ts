import { readConfig } from './config.ts';
import { ensureClientBuilt } from './setup/client-build.ts';
import { startServer } from './index.ts';

// `npm start`: build the client if its sources are newer than the last build, then serve.
try {
  const config = readConfig();
  await ensureClientBuilt(console.log);
  const running = await startServer(config);
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
