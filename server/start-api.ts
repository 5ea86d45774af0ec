import { readConfig } from './config.ts';
import { startServer } from './index.ts';

// The API alone, for `npm run dev` (Vite serves the client) and the benchmarks.
const running = await startServer(readConfig());
const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
