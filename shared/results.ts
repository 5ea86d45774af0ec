import { z } from 'zod';
import { chatMessageSchema } from './messages.ts';
import { flagSchema } from './tasks.ts';
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
      ranking: tiersSchema,
      notRankable: z.boolean(),
      flags: z.record(z.string(), z.array(flagSchema)),
      comment: z.string(),
      /** Response ids in the order this labeler was shown them: their letters A, B, … (in a comment too) follow it. */
      shownOrder: z.array(z.number().int()),
      durationMs: z.number().nullable(),
      excluded: z.boolean(),
    }),
  ),
  /** Only with `sources` including `judge`: each judge's verdict (its display orders' consensus) and the orders themselves. */
  judgeRankings: z.array(z.object({ judgeId: z.number().int(), name: z.string(), ranking: tiersSchema, orders: z.array(tiersSchema) })).optional(),
});
export type PromptResult = z.infer<typeof promptResultSchema>;

export const resultsPageSchema = z.object({ total: z.number().int(), offset: z.number().int(), sources: z.array(z.enum(rankingSources)), results: z.array(promptResultSchema) });
