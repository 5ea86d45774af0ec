import type { excludedLabelerSchema } from './agreement.ts';
import { z } from 'zod';
import type { PromptResult } from './results.ts';
import { reviewSorts } from './review-sorts.ts';
import { criterionQuerySchema } from './criteria.ts';

/**
 * Excluding a labeler, a ranking or a prompt is reversible; a reason is required when excluding so the audit log
 * says why, and optional when taking it back.
 */
export const exclusionSchema = z
  .object({
    excluded: z.boolean(),
    reason: z.string().trim().max(1_000).default(''),
  })
  .strict()
  .refine((e) => !e.excluded || e.reason !== '', { message: 'say why you exclude it', path: ['reason'] });
export type ExclusionInput = z.input<typeof exclusionSchema>;

export type ReviewSort = (typeof reviewSorts)[number];

export const reviewQuerySchema = z.object({
  sort: z.enum(reviewSorts).default('w'),
  // The criterion W and agreement are computed under (a key, or "combined"); default the project's first.
  criterion: criterionQuerySchema,
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** `GET …/review/:promptId?criterion=`: the criterion its mean ranks, consensus and figures are computed under. */
export const reviewPromptQuerySchema = z.object({ criterion: criterionQuerySchema });

export const agreementQuerySchema = z.object({
  // A criterion key (default: the project's first), or "combined"; GET …/agreement/criteria gives every criterion side by side.
  criterion: criterionQuerySchema,
  // Percentile bootstrap resamples over prompts for the 95% intervals; 0 turns them off.
  bootstrap: z.coerce.number().int().min(0).max(5_000).default(200),
});

/** One ranked prompt in the review list, with the figures it can be sorted by. */
export type ReviewRow = {
  promptId: number;
  externalId: string;
  /** The last user turn, cut short: enough to recognise the prompt in a list. */
  preview: string;
  rankings: number;
  counted: number;
  notRankable: number;
  flagged: number;
  comments: number;
  /** Kendall's W over the counted rankings; null with fewer than two or when every ranking is one tie. */
  w: number | null;
  /** Pairwise agreement over the counted rankings (a tie on either side counts half); null with fewer than two. */
  agreement: number | null;
  excluded: boolean;
  extraLabelers: number;
};

/** One prompt opened for review: what the results page shows, plus the prompt's figures and state, under `criterion`. */
export type ReviewPrompt = PromptResult & {
  criterion: string;
  w: number | null;
  agreement: number | null;
  excluded: boolean;
  extraLabelers: number;
  labelersPerPrompt: number;
  /**
   * Rankings that hold a place in the assignment pool (neither the ranking nor its labeler excluded; "not rankable"
   * answers included). The pool offers the prompt again while this plus open leases is below R + extraLabelers.
   */
  keptRankings: number;
  /** Labelers of the project the pool could still offer this prompt to: not excluded, and it is not theirs yet. */
  openToLabelers: number;
  /** Rankings whose labeler is excluded from the project's figures (their ranking row itself may not be). */
  excludedLabelers: number[];
};

/** The answer to "send back for more labels": the places now wanted, and how many labelers can fill them. */
export type ExtraLabelsResult = { promptId: number; extraLabelers: number; openToLabelers: number };

export type ExcludedLabeler = z.infer<typeof excludedLabelerSchema>;
