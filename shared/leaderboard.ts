import { z } from 'zod';
import { criterionQuerySchema } from './criteria.ts';
import { rankingSources, sourcesQuerySchema } from './sources.ts';

/** What the leaderboard ranks: the model that wrote each response, or the sampling policy (see docs/metrics.md). */
export const leaderboardBySchema = z.enum(['model', 'policy']);
export type LeaderboardBy = z.infer<typeof leaderboardBySchema>;

/** Largest bootstrap the API runs: 2,000 resamples of a large project already take seconds. */
export const maxLeaderboardBootstrap = 2_000;

// Sources (human, judge) join this query when those exist; the store read takes them, the math does not change.
export const leaderboardQuerySchema = z.object({
  by: leaderboardBySchema.default('model'),
  // Percentile bootstrap resamples over prompts for each entry's 95% interval; 0 turns them off (ci is null).
  bootstrap: z.coerce.number().int().min(0).max(maxLeaderboardBootstrap).default(200),
  // A prompt metadata key (e.g. "task"): one more leaderboard per value it takes.
  group: z.string().min(1).max(100).optional(),
  // Whose rankings give the outcomes: a criterion key (default: the project's first), or "combined" (each labeler's order by weighted mean fractional rank).
  criterion: criterionQuerySchema,
  // And whose: human (default), judge, or human,judge.
  sources: sourcesQuerySchema,
});
export type LeaderboardQuery = z.infer<typeof leaderboardQuerySchema>;

export const leaderboardEntrySchema = z.object({
  name: z.string(),
  /** Bradley–Terry log-strength, centred to mean 0 over the entries. */
  strength: z.number(),
  /** 1000 + 400 · strength / ln 10. */
  elo: z.number(),
  /** 2.5–97.5 percentile of elo over the bootstrap resamples; null without a bootstrap. */
  ci: z.tuple([z.number(), z.number()]).nullable(),
  wins: z.number().int(),
  losses: z.number().int(),
  ties: z.number().int(),
  comparisons: z.number().int(),
});
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

export const leaderboardTableSchema = z.object({
  /** Best first. */
  entries: z.array(leaderboardEntrySchema),
  /** winRate[A][B]: the share of A's comparisons with B that A won, a tie counted half; absent when never compared. */
  winRate: z.record(z.string(), z.record(z.string(), z.number())),
  /** Prompts that gave at least one outcome (the units the bootstrap resamples) and the outcomes they gave. */
  prompts: z.number().int(),
  outcomes: z.number().int(),
  /** False when some entries were never linked by a chain of comparisons: their strengths are then not comparable. */
  connected: z.boolean(),
});
export type LeaderboardTable = z.infer<typeof leaderboardTableSchema>;

export const leaderboardSchema = leaderboardTableSchema.extend({
  by: leaderboardBySchema,
  /** The criterion whose rankings gave the outcomes (a key, or "combined"). */
  criterion: z.string().optional(),
  sources: z.array(z.enum(rankingSources)),
  bootstrap: z.number().int(),
  group: z.string().optional(),
  groups: z.record(z.string(), leaderboardTableSchema).optional(),
});
export type Leaderboard = z.infer<typeof leaderboardSchema>;
