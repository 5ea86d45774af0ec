import { z } from 'zod';
import { idSchema } from './ranking.ts';
import { headlineAgreementSchema } from './export-reports.ts';
import { goldScoreSchema } from './quality.ts';
import { judgeAgreementSchema } from './judges.ts';

/** A percentile bootstrap interval over prompts. */
export const bootstrapIntervalSchema = z.object({ low: z.number(), high: z.number(), level: z.number(), resamples: z.number().int() });

export const labelerStatsSchema = z.object({
  rankings: z.number().int(),
  /** Mean over this labeler's prompts of tau-b against the leave-one-out consensus; null when no prompt qualifies. */
  tauB: z.number().nullable(),
  /** How many prompts went into `tauB`. */
  tauBPrompts: z.number().int(),
  medianMs: z.number().nullable(),
  /** Share of rankings where the response shown first was put in the top tier. */
  positionBias: z.number().nullable(),
  /** What `positionBias` would be by chance: the mean of 1/K over the same rankings. */
  expectedPositionBias: z.number().nullable(),
  /**
   * The chance of putting the response shown first on top at least this often with no bias at all (one-sided
   * binomial test; the chance per ranking is the top tier's size / K, so ties on top are not mistaken for bias),
   * so a lead can tell a habit from a few unlucky draws.
   */
  positionBiasP: z.number().nullable(),
  flagRate: z.number().nullable(),
  skipRate: z.number().nullable(),
});

/** Every agreement figure of DESIGN.md over a set of rankings (docs/metrics.md defines each). */
export const agreementReportSchema = z.object({
  prompts: z.number().int(),
  rankings: z.number().int(),
  pairwiseAgreement: z.number().nullable(),
  kendallW: z.object({ mean: z.number().nullable(), perPrompt: z.record(z.string(), z.number().nullable()), histogram: z.array(z.number()) }),
  krippendorffAlpha: z.object({ ordinal: z.number().nullable(), interval: z.number().nullable() }),
  labelers: z.array(labelerStatsSchema.extend({ labeler: idSchema })),
  labelerPairs: z.object({
    labelers: z.array(idSchema),
    /** meanTauB[a][b]: mean tau-b between labelers a and b over the prompts both ranked; null where none qualifies. */
    meanTauB: z.array(z.array(z.number().nullable())),
    /** prompts[a][b]: how many prompts went into meanTauB[a][b]. */
    prompts: z.array(z.array(z.number().int())),
  }),
  /** Only with a bootstrap (`?bootstrap=N`, `--bootstrap N`). */
  intervals: z
    .object({
      pairwiseAgreement: bootstrapIntervalSchema.nullable(),
      krippendorffAlpha: z.object({ ordinal: bootstrapIntervalSchema.nullable(), interval: bootstrapIntervalSchema.nullable() }),
    })
    .optional(),
});

export const excludedLabelerSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  rankings: z.number().int(),
  reason: z.string().nullable(),
  by: z.string().nullable(),
  at: z.string().nullable(),
});

/** `GET /api/projects/:id/agreement`: the report with who is who, and the labelers a lead excluded. */
export const projectAgreementSchema = agreementReportSchema.extend({
  /** The criterion these figures are of: a key of the project's criteria, or "combined" (each labeler's order by weighted mean fractional rank). */
  criterion: z.string(),
  responsesPerPrompt: z.number().int(),
  /** `gold`: the labeler's score against gold prompts' known orders (docs/quality.md). */
  labelers: z.array(labelerStatsSchema.extend({ labeler: idSchema, username: z.string(), gold: goldScoreSchema })),
  labelerPairs: agreementReportSchema.shape.labelerPairs.extend({ usernames: z.array(z.string()) }),
  excludedLabelers: z.array(excludedLabelerSchema),
  /** Each AI judge against the human consensus; its rankings are in none of the figures above. */
  judges: z.array(judgeAgreementSchema),
});

/** One criterion's headline figures (the dataset card's), computed by the same report over that criterion's rankings. */
export const criterionAgreementSchema = headlineAgreementSchema.extend({ key: z.string(), name: z.string(), weight: z.number() });

/** `GET /api/projects/:id/agreement/criteria` (and `podium agreement --project ID --criterion all`): every criterion's headline figures side by side, in the project's order. */
export const criteriaAgreementSchema = z.object({ criteria: z.array(criterionAgreementSchema) });
export type CriteriaAgreement = z.infer<typeof criteriaAgreementSchema>;
