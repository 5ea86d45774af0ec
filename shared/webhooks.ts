import { z } from 'zod';
import { minWebhookSecretLength, webhookDeliveryStates, webhookEvents } from './webhook-events.ts';
import { generationJobSchema } from './sampling.ts';

const eventList = z
  .array(z.enum(webhookEvents))
  .min(1, 'choose at least one event')
  .max(webhookEvents.length)
  .refine((events) => new Set(events).size === events.length, 'an event is listed twice');

/** Only http(s): a webhook is a POST to a web server, and `file:`, `javascript:` or `ftp:` would be something else. */
const webhookUrl = z
  .url({ protocol: /^https?$/, message: 'an http:// or https:// URL, such as https://ci.example.com/podium' })
  .max(2_000)
  .refine((u) => {
    // zod runs this refinement after a failed URL check too: a text that is no URL is that check's issue, not this one's
    if (!URL.canParse(u)) return true;
    const parsed = new URL(u);
    return parsed.username === '' && parsed.password === '';
  }, 'no user name or password in the URL: every answer lists the URL, so credentials there would be shown; the secret signs the deliveries');

const secret = z
  .string()
  .min(minWebhookSecretLength, `a secret of at least ${minWebhookSecretLength} characters (a random one: \`openssl rand -hex 32\`)`)
  .max(256);

/** `POST /api/projects/:id/webhooks`. The secret signs every delivery and is never sent back. */
export const createWebhookSchema = z.object({ url: webhookUrl, events: eventList, secret, active: z.boolean().default(true) }).strict();
export type CreateWebhookInput = z.input<typeof createWebhookSchema>;

/** `PATCH …/webhooks/:webhookId`: pause or resume, replace the secret, the URL or the events. */
export const updateWebhookSchema = z
  .object({ url: webhookUrl.optional(), events: eventList.optional(), secret: secret.optional(), active: z.boolean().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one of url, events, secret, active');
export type UpdateWebhookInput = z.input<typeof updateWebhookSchema>;

export const webhookSchema = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  url: z.string(),
  events: z.array(z.enum(webhookEvents)),
  active: z.boolean(),
  /** Always true: a webhook has a secret, and this is all any answer says about it. */
  secretSet: z.literal(true),
  createdAt: z.string(),
  deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookAttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  /** The receiver's HTTP status; null when no answer came (refused, timed out, not allowed). */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  event: z.enum(webhookEvents),
  state: z.enum(webhookDeliveryStates),
  createdAt: z.string(),
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  attempts: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

// What a receiver gets. The body is JSON, signed as sent: `X-Podium-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
const rankingSubmitted = z.object({
  rankingId: z.number().int(),
  assignmentId: z.number().int(),
  promptId: z.number().int(),
  /** The prompt's `id` from the import file. */
  externalId: z.string().nullable(),
  labelerId: z.number().int(),
  notRankable: z.boolean(),
  /** Response ids, best first; ids in one inner list are tied. Empty for a "not rankable" answer. */
  ranking: z.array(z.array(z.number().int())),
});
const promptCompleted = z.object({ promptId: z.number().int(), externalId: z.string().nullable() });
const jobFinished = z.object({ job: generationJobSchema });
const envelope = { id: z.number().int(), project: z.object({ id: z.number().int(), name: z.string() }), at: z.string() };

export const webhookBodySchema = z.discriminatedUnion('event', [
  z.object({ ...envelope, event: z.literal('ranking.submitted'), data: rankingSubmitted }),
  z.object({ ...envelope, event: z.literal('prompt.completed'), data: promptCompleted }),
  z.object({ ...envelope, event: z.literal('job.finished'), data: jobFinished }),
]);
export type WebhookBody = z.infer<typeof webhookBodySchema>;
export type RankingSubmittedData = z.infer<typeof rankingSubmitted>;
export type JobFinishedData = z.infer<typeof jobFinished>;
