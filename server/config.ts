import { z } from 'zod';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';
import { passwordProblem } from './auth/password-policy.ts';
import { webhookSettings, type WebhookSettings } from './webhooks/delivery-settings.ts';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  PODIUM_DB: z.string().min(1).default(join(repoRoot, 'data', 'podium.db')),
  PODIUM_ADMIN_PASSWORD: z
    .string()
    .min(8, 'PODIUM_ADMIN_PASSWORD needs at least 8 characters')
    .superRefine((p, ctx) => {
      const problem = passwordProblem(p, 'admin');
      if (problem) ctx.addIssue({ code: 'custom', message: `PODIUM_ADMIN_PASSWORD: ${problem}` });
    })
    .optional(),
  PODIUM_DEMO: z.enum(['0', '1']).default('1'),
  PODIUM_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  // Unset or empty: the SQLite file PODIUM_DB. A postgres:// URL: that Postgres database instead.
  PODIUM_DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'PODIUM_DATABASE_URL must be a postgres:// (or postgresql://) URL'),
  // Connections each server keeps to Postgres (ignored on SQLite); docs/operations.md says how to size it.
  PODIUM_PG_POOL: z.coerce.number().int().min(1, 'PODIUM_PG_POOL must be at least 1').max(1000).default(10),
});

export type Config = {
  port: number;
  host: string;
  dbFile: string;
  databaseUrl?: string | undefined;
  /** Postgres connections per server. */
  poolSize?: number | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  /** Behind our own reverse proxy: its X-Forwarded-For/-Proto/-Host are believed. */
  trustProxy?: boolean;
  /** PODIUM_WEBHOOK_*; left out, they are read from the environment when the server starts. */
  webhooks?: WebhookSettings;
};

/** Configuration is environment variables only; a bad value stops start-up with the reason. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`bad configuration:\n${lines}`);
  }
  const e = parsed.data;
  let webhooks: WebhookSettings;
  try {
    webhooks = webhookSettings(env);
  } catch (error) {
    throw new Error(`bad configuration:\n${(error as Error).message.split('\n').map((l) => `  ${l}`).join('\n')}`);
  }
  return { port: e.PORT, host: e.HOST, dbFile: e.PODIUM_DB, databaseUrl: e.PODIUM_DATABASE_URL, poolSize: e.PODIUM_PG_POOL, adminPassword: e.PODIUM_ADMIN_PASSWORD, demo: e.PODIUM_DEMO === '1', trustProxy: e.PODIUM_TRUST_PROXY === '1', webhooks };
}
