import { spawn } from 'node:child_process';

// `npm run dev`: the API server reloading on change (tsx watch) beside Vite's dev server, which proxies /api to it.
const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/start-api.ts'], { stdio: 'inherit' }),
  spawn('npx', ['vite'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
