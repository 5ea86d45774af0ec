// Zod-free on purpose: the project page imports these at run time (see job-progress.ts).

/** What a webhook can ask to hear about (README "Webhooks"; the delivery body is `webhookBodySchema`). */
export const webhookEvents = ['ranking.submitted', 'prompt.completed', 'job.finished'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** One line each, for the form and the docs. */
export const webhookEventMeaning: Record<WebhookEvent, string> = {
  'ranking.submitted': 'a labeler submitted a ranking',
  'prompt.completed': 'a prompt reached the rankings it needs (R, plus any extra a lead asked for)',
  'job.finished': 'a generation job ended: done, failed or cancelled',
};

export const webhookDeliveryStates = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

/** The fewest characters a webhook secret may have: a short one can be guessed, and then signatures prove nothing. */
export const minWebhookSecretLength = 16;
