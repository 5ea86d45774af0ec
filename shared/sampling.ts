import { z } from 'zod';
import { apiKeyEnvPrefix } from './api-key-env.ts';
import { jobStatuses, type JobStatus } from './job-progress.ts';

/** Largest seed a lead may set: sample i gets seed + i and re-samples go further, all within a signed 32-bit int (vLLM, llama.cpp). */
export const maxPolicySeed = 2_000_000_000;

/** One way of sampling some of the K responses: a checkpoint and its decoding parameters. */
export const samplingPolicySchema = z
  .object({
    // A label the lead recognises in provenance; without one the parameters make the label.
    name: z.string().trim().min(1).max(100).optional(),
    model: z.string().trim().min(1, 'name the model as the server knows it').max(300),
    count: z.number().int().min(1).max(9),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    seed: z.number().int().min(0).max(maxPolicySeed).optional(),
  })
  .strict();
export type SamplingPolicy = z.infer<typeof samplingPolicySchema>;

const envName = z.string().regex(/^PODIUM_KEY_[A-Za-z0-9_]+$/, `an environment variable whose name starts with ${apiKeyEnvPrefix}, then letters, digits and _`);

/**
 * `PUT /api/projects/:id/sampling`. `apiKey`: a string stores it, null removes it, absent keeps the stored one,
 * so the form never has to show the key to send the rest back. Either key stays bound to the base URL it was
 * stored with: a new `baseUrl` drops it unless the same request brings it again (docs/sampling.md).
 * Only an admin may name `apiKeyEnv`.
 */
export const samplingSettingsInputSchema = z
  .object({
    endpoint: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/, message: 'an http(s) URL such as http://127.0.0.1:8000/v1' }).max(2_000),
        apiKey: z.string().trim().min(1).max(4_096).nullable().optional(),
        apiKeyEnv: envName.max(200).nullable().optional(),
      })
      .strict(),
    systemPrompt: z.string().max(100_000).default(''),
    policies: z.array(samplingPolicySchema).min(1, 'at least one policy').max(9),
    requestTimeoutMs: z.number().int().min(100).max(30 * 60_000).default(120_000),
    maxRetries: z.number().int().min(0).max(10).default(4),
  })
  .strict();
export type SamplingSettingsInput = z.input<typeof samplingSettingsInputSchema>;
export type SamplingSettingsParsed = z.output<typeof samplingSettingsInputSchema>;

/**
 * What GET returns: everything but the key, which is only ever reported as present. `apiKeyEnvSet` says
 * whether the one allowed variable the settings name is set, and is false for any other name.
 */
export type SamplingSettingsView = {
  endpoint: { baseUrl: string; hasApiKey: boolean; apiKeyEnv: string | null; apiKeyEnvSet: boolean };
  systemPrompt: string;
  policies: SamplingPolicy[];
  requestTimeoutMs: number;
  maxRetries: number;
  updatedAt: string;
};

export const startJobSchema = z.object({ concurrency: z.number().int().min(1).max(512).optional() }).strict();


/** An error the job met, grouped by message so a dead endpoint does not flood the list. */
export const jobErrorSchema = z.object({ message: z.string(), count: z.number().int(), promptId: z.number().int().nullable(), externalId: z.string().nullable(), at: z.string() });
export type JobError = z.infer<typeof jobErrorSchema>;

/** What a job does: sample missing responses, or let an AI judge rank prompts (docs/judges.md). */
export const jobKinds = ['generation', 'judge'] as const;
export type JobKind = (typeof jobKinds)[number];

/**
 * Counts are samples (responses) for a generation job: total = responses missing when the job started. For a judge
 * run they are judgements, one per prompt and display order.
 */
export const generationJobSchema = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  kind: z.enum(jobKinds),
  /** The judge a judge run belongs to; null for sampling. */
  judgeId: z.number().int().nullable(),
  status: z.enum(jobStatuses),
  concurrency: z.number().int(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  duplicates: z.number().int(),
  lengthFinishes: z.number().int(),
  errors: z.array(jobErrorSchema),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type GenerationJob = z.infer<typeof generationJobSchema>;

export type ConnectionTestResult =
  | { ok: true; model: string; text: string; latencyMs: number; finishReason: string | null; choices: number }
  | { ok: false; status: number | null; message: string };

/** A policy's label in provenance; two policies may not share one. */
export function policyLabel(p: SamplingPolicy): string {
  if (p.name) return p.name;
  const parts = [p.model];
  if (p.temperature !== undefined) parts.push(`t=${p.temperature}`);
  if (p.top_p !== undefined) parts.push(`top_p=${p.top_p}`);
  if (p.max_tokens !== undefined) parts.push(`max=${p.max_tokens}`);
  if (p.seed !== undefined) parts.push(`seed=${p.seed}`);
  return parts.join(' ');
}

