import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompressAssets } from './server/setup/precompress-assets.ts';

const apiPort = Number(process.env.PORT ?? 8787);

// The client lives in client/; its build lands in client/dist, which the server serves.
export default defineConfig({
  root: 'client',
  plugins: [
    react(),
    {
      // Brotli and gzip copies of every asset, so the server sends compressed bytes without compressing per request.
      name: 'podium-precompress',
      apply: 'build',
      writeBundle(options) {
        if (options.dir) precompressAssets(options.dir);
      },
    },
  ],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    port: 5173,
    proxy: { '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false } },
  },
});
