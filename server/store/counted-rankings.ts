// Which rankings count, in one place, so results, agreement, review and export always agree.
// Aliases: r = rankings, m = project_members (LEFT JOIN on the ranking's project and labeler).

/**
 * A ranking of a gold prompt is a test of its labeler (scored by server/quality/gold-score.ts), never data: not in
 * results, consensus, agreement, leaderboards, exports or a prompt's places. A primary-key probe, so it holds whether
 * or not the reader joined the prompt, and from the moment a lead sets or clears the gold.
 */
export const rankingNotGold = 'NOT EXISTS (SELECT 1 FROM prompts gp WHERE gp.id = r.prompt_id AND gp.gold IS NOT NULL)';

/**
 * Neither the ranking nor its labeler (in this project) is excluded, for a reader that already keeps only rankings of
 * data prompts (it joined them under `promptIsData`): the export, which spares a probe of the prompt per ranking.
 */
export const rankingKeptOfDataPrompt = 'r.excluded = 0 AND coalesce(m.excluded, 0) = 0';

/** Neither the ranking nor its labeler (in this project) is excluded, and its prompt is not gold. */
export const rankingKept = `${rankingKeptOfDataPrompt} AND ${rankingNotGold}`;

/** Kept, and an actual ranking rather than "not rankable": it enters mean ranks, pairs and figures. */
export const rankingCounts = `${rankingKept} AND r.not_rankable = 0`;

/** A prompt that is data (over the prompts table unaliased or aliased as the reader's own): not a gold prompt. */
export const promptIsData = (alias = ''): string => `${alias ? `${alias}.` : ''}gold IS NULL`;
