import type { ChatMessage } from '../../shared/messages.ts';
import type { ReviewRow, ReviewSort } from '../../shared/review.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';
import { kendallW } from '../metrics/kendall-w.ts';
import { pairwiseCounts } from '../metrics/pairwise-agreement.ts';
import { rankingUnder, type CriterionSelection } from '../ranking/criterion-selection.ts';

// Stored tiers are the first criterion's, so a caller that names no criterion gets them as before.
const firstCriterion: CriterionSelection = { key: '', first: true };

/** `tiers`: the first criterion's; `criteria`: every criterion's (null on a one-criterion project), see criterion-selection.ts. */
export type ReviewRankingInput = { tiers: number[][]; criteria?: Record<string, number[][]> | null; counted: boolean; notRankable: boolean; flagged: boolean; commented: boolean };
export type ReviewPromptInput = {
  promptId: number;
  externalId: string;
  messages: ChatMessage[];
  excluded: boolean;
  extraLabelers: number;
  rankings: ReviewRankingInput[];
};

const previewChars = 140;

/** The question a labeler answered: the last user turn (or the last turn), on one line, cut short. */
export function promptPreview(messages: readonly ChatMessage[]): string {
  const turn = [...messages].reverse().find((m) => m.role === 'user') ?? messages[messages.length - 1];
  const text = (turn?.content ?? '').replace(/\s+/g, ' ').trim();
  return text.length > previewChars ? `${text.slice(0, previewChars - 1)}…` : text;
}

/** Kendall's W and pairwise agreement of one prompt's rankings, as the agreement report computes them per prompt. */
export function promptFigures(tiers: readonly number[][][]): { w: number | null; agreement: number | null } {
  if (tiers.length === 0) return { w: null, agreement: null };
  // Columns in one fixed response order (ascending id), whatever order each labeler's tiers list them in.
  const ids = tiers[0]!.flat().sort((a, b) => a - b);
  const rows = tiers.map((t) => {
    const ranks = fractionalRanks(t);
    return ids.map((id) => ranks.get(id) ?? Number.NaN);
  });
  const counts = pairwiseCounts(rows);
  return { w: kendallW(rows), agreement: counts.cases > 0 ? counts.score / counts.cases : null };
}

/** The prompt's row with its figures under the selected criterion (default: the first). */
export function reviewRow(p: ReviewPromptInput, selection: CriterionSelection = firstCriterion): ReviewRow {
  const counted = p.rankings.filter((r) => r.counted);
  return {
    promptId: p.promptId,
    externalId: p.externalId,
    preview: promptPreview(p.messages),
    rankings: p.rankings.length,
    counted: counted.length,
    notRankable: p.rankings.filter((r) => r.notRankable).length,
    flagged: p.rankings.filter((r) => r.flagged).length,
    comments: p.rankings.filter((r) => r.commented).length,
    ...promptFigures(counted.map((r) => rankingUnder({ ranking: r.tiers, criteria: r.criteria ?? null }, selection).ranking)),
    excluded: p.excluded,
    extraLabelers: p.extraLabelers,
  };
}

// Figures a prompt lacks (one ranking, all ties) sort after every prompt that has them: there is nothing to dispute.
const ascendingNullsLast = (a: number | null, b: number | null): number => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b);

/**
 * The order a lead reviews prompts in: `w` and `disagreement` put the least agreed first (lowest W, lowest pairwise
 * agreement), `flags` and `not-rankable` the most flagged or most often refused first, `prompt` by id. Ties by id.
 */
export function sortReviewRows(rows: ReviewRow[], sort: ReviewSort): ReviewRow[] {
  const by: Record<ReviewSort, (a: ReviewRow, b: ReviewRow) => number> = {
    w: (a, b) => ascendingNullsLast(a.w, b.w),
    disagreement: (a, b) => ascendingNullsLast(a.agreement, b.agreement),
    flags: (a, b) => b.flagged - a.flagged,
    'not-rankable': (a, b) => b.notRankable - a.notRankable,
    prompt: () => 0,
  };
  const compare = by[sort];
  return rows.sort((a, b) => compare(a, b) || a.promptId - b.promptId);
}
