import { z } from 'zod';
import { apiKeyEnvPrefix } from './api-key-env.ts';

/**
 * `POST /api/projects/:id/judges`. Without `endpoint` the judge uses the project's sampling endpoint and its key at
 * run time. With one, its key follows the sampling rules (docs/sampling.md): a key is stored for the base URL it came
 * with and never sent anywhere else; leaving `apiKey` out on the sampling endpoint's own URL reuses the sampling key;
 * only an admin may name `apiKeyEnv`, and only a `PODIUM_KEY_…` variable.
 */
export const createJudgeSchema = z
  .object({
    name: z.string().trim().min(1, 'a judge needs a name').max(100),
    model: z.string().trim().min(1, 'name the model as the server knows it').max(300),
    endpoint: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/, message: 'an http(s) URL such as http://127.0.0.1:8000/v1' }).max(2_000),
        apiKey: z.string().trim().min(1).max(4_096).optional(),
        apiKeyEnv: z.string().regex(/^PODIUM_KEY_[A-Za-z0-9_]+$/, `an environment variable whose name starts with ${apiKeyEnvPrefix}, then letters, digits and _`).max(200).optional(),
      })
      .strict()
      .optional(),
    temperature: z.number().min(0).max(2).optional(),
    /** Judge each prompt in two display orders (as stored, then reversed), to measure position bias. */
    bothOrders: z.boolean().default(true),
    /** A prompt template (docs/judges.md); it must show the responses. Absent: the default template. */
    template: z
      .string()
      .max(100_000)
      .refine((t) => t.includes('{{responses}}'), 'the template must contain {{responses}}, or the judge never sees them')
      .optional(),
  })
  .strict();
export type CreateJudgeInput = z.input<typeof createJudgeSchema>;

/** A judge as the API shows it: the key only ever as present or not. `baseUrl` null: the project's sampling endpoint. */
export const judgeSchema = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  name: z.string(),
  model: z.string(),
  endpoint: z.object({ baseUrl: z.string().nullable(), hasApiKey: z.boolean(), apiKeyEnv: z.string().nullable() }),
  temperature: z.number().nullable(),
  bothOrders: z.boolean(),
  /** The template it runs with: its own, or the default one. */
  template: z.string(),
  customTemplate: z.boolean(),
  createdAt: z.string(),
  /** Prompts with every display order ranked by this judge. */
  judgedPrompts: z.number().int(),
  /** Answers it gave that could not be read, kept for the lead (GET …/failures). */
  failures: z.number().int(),
  latestJobId: z.number().int().nullable(),
});
export type Judge = z.infer<typeof judgeSchema>;

export const startJudgeRunSchema = z.object({ concurrency: z.number().int().min(1).max(512).optional() }).strict();

/** An answer the judge gave that could not be read as a ranking, even after one more try. */
export const judgeFailureSchema = z.object({
  id: z.number().int(),
  jobId: z.number().int(),
  promptId: z.number().int(),
  externalId: z.string(),
  /** 0: responses as stored; 1: reversed. */
  displayIndex: z.number().int(),
  error: z.string(),
  /** The model's text as it came, null when the request itself failed. */
  answer: z.string().nullable(),
  createdAt: z.string(),
});
export type JudgeFailure = z.infer<typeof judgeFailureSchema>;

/** The agreement report's figures for one judge against the human consensus (docs/metrics.md). */
export const judgeAgreementSchema = z.object({
  judgeId: z.number().int(),
  name: z.string(),
  /** Mean over prompts of tau-b between the judge's ranking and the humans' mean ranks; null when no prompt qualifies. */
  tauBVsHumans: z.number().nullable(),
  /** Over every prompt, human ranking and response pair: the share ordered as the judge ordered it (a tie half). */
  pairwiseAgreementVsHumans: z.number().nullable(),
  /** Pairwise agreement between the judge's two display orders of the same prompts: 1 is no position effect. */
  positionConsistency: z.number().nullable(),
  /** Prompts both the judge and at least one counted human ranked. */
  prompts: z.number().int(),
  /** The prompts where it disagrees with the humans most, lowest tau-b first. */
  disagreements: z.array(z.object({ promptId: z.number().int(), externalId: z.string(), tauB: z.number() })),
});
export type JudgeAgreement = z.infer<typeof judgeAgreementSchema>;
