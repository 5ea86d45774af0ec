import type { Id } from '../../shared/ranking.ts';
import { compareIds, compareMeans, MEAN_RANK_EPSILON } from './consensus.ts';
import { rankTable, type RankedPrompt } from './mean-ranks.ts';

export const pairStrategies = ['all', 'best-worst', 'best-vs-rest'] as const;
/** all: every pair with a strictly better mean (InstructGPT); best-worst: best tier × worst tier; best-vs-rest: best tier × every strictly worse response. */
export type PairStrategy = (typeof pairStrategies)[number];

export type PairOptions = {
  strategy?: PairStrategy;
  /** A prompt with fewer counted rankings yields no pairs. */
  minLabelers?: number | undefined;
  /** Keep pairs whose margin is at least this; a pair always needs a margin above 0. */
  minMargin?: number | undefined;
  /** Keep pairs whose agreement is at least this. */
  minAgreement?: number | undefined;
};

/** How the labelers who ranked both responses ordered them: for = chosen strictly better. */
export type Votes = { for: number; against: number; tied: number };

export type PromptPair<T extends Id = Id> = {
  chosen: T;
  rejected: T;
  /** mean(rejected) − mean(chosen), > 0. */
  margin: number;
  votes: Votes;
  /** (for + tied/2) / labelers. */
  agreement: number;
  chosenMeanRank: number;
  rejectedMeanRank: number;
  /** Counted labelers who ranked both responses: every counted labeler unless a response was added after some rankings. */
  labelers: number;
};

/**
 * Comparison pairs of one prompt, from its counted rankings, by DESIGN.md "Ranking semantics":
 * chosen has the strictly lower mean rank; consensus ties are never pairs. Ordered by chosen mean,
 * then rejected mean, then chosen id, then rejected id.
 */
export function pairsForPrompt<T extends Id>(prompt: RankedPrompt<T>, options: PairOptions = {}): PromptPair<T>[] {
  const labelerCount = prompt.rankings.length;
  if (labelerCount === 0 || labelerCount < (options.minLabelers ?? 0)) return [];
  const { size, ranks, means } = rankTable(prompt);
  const ids = prompt.responses;

  const order: number[] = [];
  for (let i = 0; i < size; i++) if (!Number.isNaN(means[i] as number)) order.push(i);
  if (order.length < 2) return [];
  // Insertion sort: K is a handful, and Array#sort with a comparator costs more than the work at that size.
  for (let i = 1; i < order.length; i++) {
    const x = order[i] as number;
    let j = i - 1;
    for (; j >= 0; j--) {
      const y = order[j] as number;
      if ((compareMeans(means[y] as number, means[x] as number) || compareIds(idAt(ids, y), idAt(ids, x))) <= 0) break;
      order[j + 1] = y;
    }
    order[j + 1] = x;
  }
  const best = means[order[0] as number] as number;
  const worst = means[order[order.length - 1] as number] as number;
  if (worst - best <= MEAN_RANK_EPSILON) return [];

  const minMargin = options.minMargin ?? 0;
  const minAgreement = options.minAgreement ?? 0;
  const pairs: PromptPair<T>[] = [];

  const add = (c: number, r: number): void => {
    const chosenMean = means[c] as number;
    const rejectedMean = means[r] as number;
    const margin = rejectedMean - chosenMean;
    // Tolerance so that e.g. minMargin=0.1 keeps a margin of 2.1 − 2.0 computed as 0.0999…
    if (margin <= MEAN_RANK_EPSILON || margin < minMargin - MEAN_RANK_EPSILON) return;
    let votesFor = 0;
    let against = 0;
    let tied = 0;
    for (let row = 0; row < ranks.length; row += size) {
      const rc = ranks[row + c] as number;
      const rr = ranks[row + r] as number;
      if (rc < rr) votesFor++;
      else if (rc > rr) against++;
      else if (rc === rr) tied++;
      // NaN on either side (a labeler who did not rank both) falls through all three.
    }
    const labelers = votesFor + against + tied;
    const agreement = labelers ? (votesFor + tied / 2) / labelers : 0;
    if (agreement < minAgreement - MEAN_RANK_EPSILON) return;
    pairs.push({
      chosen: idAt(ids, c),
      rejected: idAt(ids, r),
      margin,
      votes: { for: votesFor, against, tied },
      agreement,
      chosenMeanRank: chosenMean,
      rejectedMeanRank: rejectedMean,
      labelers,
    });
  };

  const n = order.length;
  const strategy = options.strategy ?? 'all';
  if (strategy === 'all') {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) add(order[a] as number, order[b] as number);
  } else {
    for (let a = 0; a < n && (means[order[a] as number] as number) - best <= MEAN_RANK_EPSILON; a++) {
      for (let b = n - 1; b > a; b--) {
        const rejectedMean = means[order[b] as number] as number;
        if (strategy === 'best-worst' && worst - rejectedMean > MEAN_RANK_EPSILON) break;
        add(order[a] as number, order[b] as number);
      }
    }
  }
  // The loops emit chosen-major order; only tied chosen means can leave that out of the promised order.
  for (let i = 1; i < pairs.length; i++) {
    if (comparePairs(pairs[i - 1] as PromptPair<T>, pairs[i] as PromptPair<T>) > 0) {
      pairs.sort(comparePairs);
      break;
    }
  }
  return pairs;
}

function comparePairs<T extends Id>(x: PromptPair<T>, y: PromptPair<T>): number {
  return (
    compareMeans(x.chosenMeanRank, y.chosenMeanRank) ||
    compareMeans(x.rejectedMeanRank, y.rejectedMeanRank) ||
    compareIds(x.chosen, y.chosen) ||
    compareIds(x.rejected, y.rejected)
  );
}

function idAt<T extends Id>(responses: readonly { id: T }[], index: number): T {
  return (responses[index] as { id: T }).id;
}
