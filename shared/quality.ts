import { z } from 'zod';
import { rankingSchema } from './ranking.ts';

/**
 * A project's quality loop (docs/quality.md): gold prompts mixed in at `goldRate`, a labeler paused once
 * `goldMinTasks` gold tasks give a mean tau-b below `goldMinTauB`, and adaptive overlap up to
 * `maxLabelersPerPrompt` labelers on prompts whose Kendall's W is below `minKendallW`.
 */
export const qualitySettingsShape = {
  goldRate: z.number().min(0, 'goldRate is at least 0').max(0.5, 'goldRate is at most 0.5: more gold than that is a test, not labeling'),
  goldMinTasks: z.number().int().min(1, 'goldMinTasks is at least 1').max(1_000),
  goldMinTauB: z.number().min(-1, 'goldMinTauB is a tau-b, at least -1').max(1, 'goldMinTauB is a tau-b, at most 1'),
  maxLabelersPerPrompt: z.number().int().min(1).max(50, 'maxLabelersPerPrompt is at most 50'),
  minKendallW: z.number().min(0, "minKendallW is a Kendall's W, at least 0").max(1, "minKendallW is a Kendall's W, at most 1"),
};
export const qualityDefaults = { goldRate: 0.1, goldMinTasks: 5, goldMinTauB: 0.4, minKendallW: 0.5 } as const;

/** The settings as a project carries them; `maxLabelersPerPrompt` equal to R turns adaptive overlap off. */
export const qualitySettingsSchema = z.object(qualitySettingsShape);
export type QualitySettings = z.infer<typeof qualitySettingsSchema>;

/** `PATCH /api/projects/:id`: any of the settings; `maxLabelersPerPrompt` is checked against the project's R by the route. */
export const patchProjectSchema = z.object(qualitySettingsShape).partial().strict();
export type PatchProjectInput = z.infer<typeof patchProjectSchema>;

/** The one rule a lone setting cannot check: the cap is at least R. Returns a zod-style issue, or null. */
export function capIssue(maxLabelersPerPrompt: number | undefined, labelersPerPrompt: number): { path: string[]; message: string; code: 'custom' } | null {
  if (maxLabelersPerPrompt === undefined || maxLabelersPerPrompt >= labelersPerPrompt) return null;
  return { code: 'custom', path: ['maxLabelersPerPrompt'], message: `maxLabelersPerPrompt (${maxLabelersPerPrompt}) must be at least labelersPerPrompt R (${labelersPerPrompt})` };
}

/** `PUT /api/projects/:id/prompts/:promptId/gold`: the known order as tiers of response ids, every response once. */
export const goldRankingSchema = z.object({ ranking: rankingSchema }).strict();

/** `POST /api/projects/:id/members/:userId/pause`: a lead pauses (true) or lifts a pause (false). */
export const pauseSchema = z.object({ paused: z.boolean(), reason: z.string().trim().max(1_000).default('') }).strict();

/** A labeler's gold score (server/quality/gold-score.ts): tasks counted since their last lifted pause. */
export const goldScoreSchema = z.object({ tasks: z.number().int(), meanTauB: z.number().nullable(), topMatch: z.number().nullable() });
export type GoldScoreView = z.infer<typeof goldScoreSchema>;

/** A labeler's pause on a project, for the dashboard. */
export const pausedLabelerSchema = z.object({ userId: z.number().int(), username: z.string(), reason: z.string(), gold: goldScoreSchema });

/** What the quality loop spent, for the dashboard: gold prompts and the extra labels adaptive overlap asked for. */
export const qualitySummarySchema = z.object({
  goldPrompts: z.number().int(),
  /** Extra places adaptive overlap granted, and how many of them hold a ranking already. */
  extraLabelsGranted: z.number().int(),
  extraLabelsSpent: z.number().int(),
  /** The prompts that got extra places, most first (at most 50). */
  extraPrompts: z.array(z.object({ promptId: z.number().int(), externalId: z.string(), extra: z.number().int(), rankings: z.number().int() })),
  paused: z.array(pausedLabelerSchema),
});
export type QualitySummary = z.infer<typeof qualitySummarySchema>;
