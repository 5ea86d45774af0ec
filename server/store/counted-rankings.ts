// Which rankings count, in one place, so results, agreement, review and export always agree.
// Aliases: r = rankings, m = project_members (LEFT JOIN on the ranking's project and labeler).

/** Neither the ranking nor its labeler (in this project) is excluded. */
export const rankingKept = 'r.excluded = 0 AND coalesce(m.excluded, 0) = 0';

/** Kept, and an actual ranking rather than "not rankable": it enters mean ranks, pairs and figures. */
export const rankingCounts = `${rankingKept} AND r.not_rankable = 0`;
