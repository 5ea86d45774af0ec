import { z } from 'zod';
import { chatMessageSchema } from './messages.ts';
import { flagSchema } from './tasks.ts';
import { criterionSchema } from './criteria.ts';
import { rankingSources } from './sources.ts';

const tiersSchema = z.array(z.array(z.number().int()));

export const promptResultSchema = z.object({
  promptId: z.number().int(),
  externalId: z.string(),
  messages: z.array(chatMessageSchema),
  responses: z.array(z.object({ id: z.number().int(), text: z.string(), model: z.string().nullable(), meanRank: z.number().nullable() })),
  consensus: tiersSchema,
  rankings: z.array(
    z.object({
      rankingId: z.number().int(),
      userId: z.number().int(),
      username: z.string(),
      /** The ranking under the criterion the page shows (under `combined`: this labeler's order by weighted mean fractional rank). */
      ranking: tiersSchema,
      /** Every criterion's ranking by this labeler, by criterion key (empty when not rankable). */
      byCriterion: z.record(z.string(), tiersSchema),
      notRankable: z.boolean(),
      flags: z.record(z.string(), z.array(flagSchema)),
      comment: z.string(),
      /** Response ids in the order this labeler was shown them: their letters A, B, … (in a comment too) follow it. */
      shownOrder: z.array(z.number().int()),
      durationMs: z.number().nullable(),
      excluded: z.boolean(),
    }),
  ),
  /**
   * Only with `sources` including `judge`: each judge's verdict under the criterion (its display orders' consensus; under
   * combined, its per-criterion verdicts combined like a labeler's), every criterion's verdict read, and the display orders.
   */
  judgeRankings: z
    .array(z.object({ judgeId: z.number().int(), name: z.string(), ranking: tiersSchema, byCriterion: z.record(z.string(), tiersSchema), orders: z.array(tiersSchema) }))
    .optional(),
});
export type PromptResult = z.infer<typeof promptResultSchema>;

/** Mean ranks, consensus and each `ranking` are those of `criterion` (a key of `criteria`, or "combined") over `sources`. */
export const resultsPageSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  criterion: z.string(),
  criteria: z.array(criterionSchema),
  sources: z.array(z.enum(rankingSources)),
  results: z.array(promptResultSchema),
});
