import { z } from 'zod';

/** Where a ranking came from: a human labeler, or an AI judge (docs/judges.md). Judges never count unless asked for. */
export const rankingSources = ['human', 'judge'] as const;
export type RankingSource = (typeof rankingSources)[number];
/** Whose rankings count when a reader names none: the labelers' alone. */
export const defaultSources: readonly RankingSource[] = ['human'];

/**
 * `sources=` on results, export and the leaderboard: `human` (default), `judge`, or `human,judge`. Always returned in
 * that canonical order, whatever order the caller wrote.
 */
export const sourcesQuerySchema = z
  .string()
  .optional()
  .transform((text) => (text === undefined || text === '' ? defaultSources.join(',') : text).split(',').map((s) => s.trim()))
  .pipe(z.array(z.enum(rankingSources, { error: 'sources is human, judge, or human,judge' })).min(1))
  .transform((list): RankingSource[] => rankingSources.filter((s) => list.includes(s)));
export type Sources = z.output<typeof sourcesQuerySchema>;

/** The labeler id a judge's verdicts carry where they stand beside human rankings (user ids are numbers, so never equal). */
export const judgeLabeler = (judgeId: number): string => `judge:${judgeId}`;
