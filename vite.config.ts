import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompressAssets } from './server/setup/precompress-assets.ts';

const apiPort = Number(process.env.PORT ?? 8787);

/**
 * The pages only a lead or an admin opens (dashboard, results, agreement, leaderboard, review, export, admin, API docs)
 * and what only they use, bundled as one lazy chunk: one file compresses 8 KB smaller than their twenty-odd chunks
 * did apart, and a lead who opens the dashboard then has the other pages at hand. The labeler's pages (projects list,
 * ranking, account, invite) never load it; bench/client.ts checks the ranking page's share stays what it was.
 */
const leadOnly = new RegExp(
  [
    String.raw`/client/src/features/(results|agreement|leaderboard|review|export|admin|api-docs|sampling|webhooks)/`,
    String.raw`/client/src/features/projects/(?!projects-page\.tsx)`,
    String.raw`/client/src/api/(docs|export|judge|leaderboard|member|quality|review|sampling|webhook)-queries\.ts$`,
    String.raw`/client/src/components/(criterion-select|sources-select|view-select)\.tsx$`,
    String.raw`/client/src/components/audit-sentences\.ts$`,
    String.raw`/client/src/features/account/project-invite\.tsx$`,
    String.raw`/shared/(export-skip-reasons|webhook-events|api-key-env|review-sorts)\.ts$`,
  ].join('|'),
);

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
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Not its dependencies: what a labeler's page shares with these (counted, the transcript, …) stays out of it.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'lead', test: leadOnly, includeDependenciesRecursively: false }] } } },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false } },
  },
});
