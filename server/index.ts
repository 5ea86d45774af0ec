import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { openStore, type Store } from './store/store.ts';
import { createApp } from './app.ts';
import { firstStart, demoLabelers } from './setup/first-start.ts';
import type { Config } from './config.ts';
import { resumeGenerationJobs, stopGenerationJobs } from './sampling/job-takeover.ts';
import { webhookSettings } from './webhooks/delivery-settings.ts';
import { startWebhookDeliverer } from './webhooks/deliverer.ts';
import { startImportSweeps, stopImportSweeps } from './import/import-lines.ts';

export type RunningServer = { port: number; url: string; store: Store; close: () => Promise<void> };

/** Opens the store, seeds an empty database, and serves app + API on one port. */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<RunningServer> {
  const store = await openStore(config);
  const report = await firstStart(store, { adminPassword: config.adminPassword, demo: config.demo });
  const webhooks = config.webhooks ?? webhookSettings();
  const app = createApp({ store, trustProxy: config.trustProxy ?? false, webhooks });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log(`Podium is serving ${url} (database ${store.engine.description})`);
  if (report?.adminPassword) log(`First start: log in as "admin" with password ${report.adminPassword} (shown once)`);
  if (report?.demoPassword) log(`Demo project loaded; demo labelers ${demoLabelers.join(', ')} share the password ${report.demoPassword}`);
  // sampling jobs a killed or stopped server left behind carry on from what is stored
  await resumeGenerationJobs(store, { log });
  // webhook events any server (or the CLI) left in the outbox go out from here too
  const deliverer = startWebhookDeliverer(store, webhooks, log);
  // what an import killed mid-way staged is deleted
  startImportSweeps(store);
  return {
    port,
    url,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          // running jobs, deliveries and import sweeps stop first (jobs and deliveries resume on the next start), then nothing uses the database
          void Promise.all([stopGenerationJobs(store), deliverer.stop(), stopImportSweeps(store)]).then(() => {
            void store.close().then(resolve);
          });
        });
        // idle keep-alive sockets would otherwise hold close() open
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
