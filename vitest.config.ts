import { defineConfig } from 'vitest/config';
import { postgresBinaries } from './test/support/postgres-binaries.ts';

// The API suite runs twice: on SQLite with everything else, and on a throwaway Postgres cluster. In CI
// (CI=true) a missing Postgres fails the run; on a machine without the binaries that run is left out, saying so.
const postgres = postgresBinaries() !== null || process.env.CI === 'true';
if (!postgres) console.warn('Postgres binaries not found (Debian package postgresql, or PODIUM_PG_BIN): the API suite runs on SQLite only.');

export default defineConfig({
  test: {
    environment: 'node',
    // e2e and API tests start real servers and browsers; a 2-core CI box needs room.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/api/**/*.test.ts'],
                // These two read and back up the SQLite file itself; the same behaviour on Postgres is covered by
                // the two-server tests (takeover after a runner stops) and by pg_dump, not by Podium's backup command.
                exclude: ['test/api/durability.test.ts', 'test/api/sampling-resume.test.ts', 'test/api/judge-resume.test.ts'],
                env: { PODIUM_TEST_ENGINE: 'postgres' },
                globalSetup: ['test/support/global-setup.ts', 'test/support/postgres-cluster.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
