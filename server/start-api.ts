import { readConfig } from './config.ts';
import { startServer } from './index.ts';

// The API alone, for `npm run dev`, where Vite serves the client.
await startServer(readConfig());
