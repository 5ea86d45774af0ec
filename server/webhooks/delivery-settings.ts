import { z } from 'zod';

/** How this server delivers webhooks; from the environment (docs/operations.md#webhooks). */
export type WebhookSettings = {
  /** PODIUM_WEBHOOK_HOSTS: the only host names a webhook may target; null allows any host, loopback and private ones included. */
  hosts: string[] | null;
  /** One POST may take this long before it counts as failed. */
  timeoutMs: number;
  /** The wait after the first failure; it doubles after each further one, up to `maxRetryMs`. */
  retryMs: number;
  /** The longest wait between two attempts, however many failed before. */
  maxRetryMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is `failed`. */
  maxAttempts: number;
  /** How often each server looks for due deliveries. */
  pollMs: number;
};

const ms = (name: string, fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(min, `${name} is at least ${min}`)
    .max(max, `${name} is at most ${max}`)
    .default(fallback);

const hostList = z
  .string()
  .optional()
  .transform((v) => {
    const hosts = (v ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
    return hosts.length ? hosts : null;
  });

const blankIsUnset = (v: unknown) => (v === '' ? undefined : v);

const settingsSchema = z.object({
  PODIUM_WEBHOOK_HOSTS: hostList,
  PODIUM_WEBHOOK_TIMEOUT_MS: z.preprocess(blankIsUnset, ms('PODIUM_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000)),
  PODIUM_WEBHOOK_RETRY_MS: z.preprocess(blankIsUnset, ms('PODIUM_WEBHOOK_RETRY_MS', 10_000, 10, 3_600_000)),
  PODIUM_WEBHOOK_RETRY_MAX_MS: z.preprocess(blankIsUnset, ms('PODIUM_WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 24 * 3_600_000)),
  PODIUM_WEBHOOK_MAX_ATTEMPTS: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(100).default(10)),
  PODIUM_WEBHOOK_POLL_MS: z.preprocess(blankIsUnset, ms('PODIUM_WEBHOOK_POLL_MS', 1_000, 10, 60_000)),
});

/** Reads the settings; a bad value throws with the variable's name, and start-up stops with it. */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  const e = parsed.data;
  return {
    hosts: e.PODIUM_WEBHOOK_HOSTS,
    timeoutMs: e.PODIUM_WEBHOOK_TIMEOUT_MS,
    retryMs: e.PODIUM_WEBHOOK_RETRY_MS,
    // the cap never shortens the first wait
    maxRetryMs: Math.max(e.PODIUM_WEBHOOK_RETRY_MAX_MS, e.PODIUM_WEBHOOK_RETRY_MS),
    maxAttempts: e.PODIUM_WEBHOOK_MAX_ATTEMPTS,
    pollMs: e.PODIUM_WEBHOOK_POLL_MS,
  };
}
