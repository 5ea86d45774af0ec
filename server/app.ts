import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AppEnv } from './http/env.ts';
import type { Store } from './store/store.ts';
import { webhookSettings, type WebhookSettings } from './webhooks/delivery-settings.ts';
import { apiError } from './http/errors.ts';
import { authRoutes } from './routes/auth.ts';
import { userRoutes } from './routes/users.ts';
import { projectRoutes } from './routes/projects.ts';
import { taskRoutes } from './routes/tasks.ts';
import { resultRoutes } from './routes/results.ts';
import { exportRoutes } from './routes/export.ts';
import { datasetCardRoutes } from './routes/dataset-card.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { agreementRoutes } from './routes/agreement.ts';
import { leaderboardRoutes } from './routes/leaderboard.ts';
import { reviewRoutes } from './routes/review.ts';
import { samplingRoutes } from './routes/sampling.ts';
import { judgeRoutes } from './routes/judges.ts';
import { accountRoutes } from './routes/account.ts';
import { inviteRoutes } from './routes/invites.ts';
import { auditRoutes } from './routes/audit.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { qualityRoutes } from './routes/quality.ts';
import { enforceAccessPolicy } from './auth/access.ts';
import { sameOriginWrites } from './http/same-origin-writes.ts';
import { repoRoot } from './paths.ts';
import { compressLargeJson } from './http/compress-json.ts';
import { precompressedAsset } from './http/precompressed-assets.ts';

/** The API as the typed client sees it: the client calls `hc<ApiType>('/api')`. */
export function createApi() {
  return new Hono<AppEnv>()
    // Every route below is checked against server/auth/access-policy.ts before it runs.
    .use('*', enforceAccessPolicy)
    .get('/health', (c) => c.json({ ok: true as const }, 200))
    .route('/', openApiRoutes)
    .route('/', authRoutes)
    .route('/', accountRoutes)
    .route('/', inviteRoutes)
    .route('/', auditRoutes)
    .route('/', userRoutes)
    .route('/', projectRoutes)
    .route('/', taskRoutes)
    .route('/', resultRoutes)
    .route('/', exportRoutes)
    .route('/', datasetCardRoutes)
    .route('/', agreementRoutes)
    .route('/', leaderboardRoutes)
    .route('/', reviewRoutes)
    .route('/', samplingRoutes)
    .route('/', webhookRoutes)
    .route('/', qualityRoutes)
    .route('/', judgeRoutes);
}
export type ApiType = ReturnType<typeof createApi>;

export type AppOptions = {
  store: Store;
  clientDir?: string;
  /** PODIUM_TRUST_PROXY=1: believe X-Forwarded-For/-Proto/-Host, which only our own reverse proxy may set. */
  trustProxy?: boolean;
  /** Which hosts webhooks may target (PODIUM_WEBHOOK_HOSTS); read from the environment when left out. */
  webhooks?: WebhookSettings;
};

export function createApp({ store, clientDir = join(repoRoot, 'client', 'dist'), trustProxy = false, webhooks = webhookSettings() }: AppOptions) {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // dnd-kit moves cards with inline transform styles
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    }),
  );
  app.use('/api/*', async (c, next) => {
    c.set('store', store);
    c.set('trustProxy', trustProxy);
    c.set('webhooks', webhooks);
    await next();
  });
  app.use('/api/*', sameOriginWrites);
  app.use('/api/*', compressLargeJson);
  app.route('/api', createApi());
  app.all('/api/*', (c) => apiError(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));

  if (existsSync(clientDir)) {
    const root = relative(process.cwd(), clientDir) || '.';
    // Hashed assets are immutable and sent as compressed at build time; a name that is not there is a 404,
    // never the page (a stale tab after a rebuild).
    const assetsDir = join(clientDir, 'assets');
    app.get('/assets/*', async (c) => (await precompressedAsset(c, assetsDir)) ?? c.text('not found', 404));
    app.get('/favicon.svg', serveStatic({ root }));
    // The client routes (/projects/:id/label, …) are the single page's; any other GET gets index.html,
    // read per request so a rebuilt client is served without a restart.
    app.get('*', (c) => {
      c.header('cache-control', 'no-cache');
      return c.html(readFileSync(join(clientDir, 'index.html'), 'utf8'));
    });
  }

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 413 ? 'too_large' : status === 400 ? 'bad_request' : 'http_error';
      return c.json({ error: { code, message: err.message || 'bad request' } }, status);
    }
    console.error(err);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}
