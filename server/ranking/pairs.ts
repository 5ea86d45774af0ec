import type { Id } from '../../shared/ranking.ts';
import { compareIds, compareMeans, MEAN_RANK_EPSILON } from './consensus.ts';
import { rankTable, type RankedPrompt, type RankTable } from './mean-ranks.ts';
import { rankedPairsTiers } from './ranked-pairs.ts';

export const pairStrategies = ['all', 'best-worst', 'best-vs-rest'] as const;
/** all: every pair with a strictly better mean (InstructGPT); best-worst: best tier × worst tier; best-vs-rest: best tier × every strictly worse response. */
export type PairStrategy = (typeof pairStrategies)[number];

export const aggregations = ['mean-rank', 'ranked-pairs'] as const;
/** mean-rank: order by mean fractional rank (the default, DESIGN.md); ranked-pairs: Tideman's order, as Open-Assistant merges rankings. */
export type Aggregation = (typeof aggregations)[number];

export type PairOptions = {
  strategy?: PairStrategy;
  aggregation?: Aggregation | undefined;
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
  /**
   * mean(rejected) − mean(chosen), > 0. Under ranked-pairs: the same in the Tideman order's fractional positions
   * (a tier covering positions p..q sits at (p + q) / 2), so it stays > 0 where mean ranks disagree with Tideman.
   */
  margin: number;
  votes: Votes;
  /** (for + tied/2) / labelers. */
  agreement: number;
  chosenMeanRank: number;
  rejectedMeanRank: number;
  /** Counted labelers who ranked both responses: every counted labeler unless a response was added after some rankings. */
  labelers: number;
};

/** Pairs the filters left out, by filter; a consensus tie is not a pair, so it is never counted here. */
export type PairDrops = { minMargin: number; minAgreement: number };

/**
 * Comparison pairs of one prompt, from its counted rankings, by DESIGN.md "Ranking semantics":
 * chosen has the strictly lower mean rank (or the strictly better Tideman tier under ranked-pairs); consensus ties
 * are never pairs. Ordered by chosen score, then rejected score, then chosen id, then rejected id.
 */
export function pairsForPrompt<T extends Id>(prompt: RankedPrompt<T>, options: PairOptions = {}, dropped?: PairDrops): PromptPair<T>[] {
  const labelerCount = prompt.rankings.length;
  if (labelerCount === 0 || labelerCount < (options.minLabelers ?? 0)) return [];
  const table = rankTable(prompt);
  const { size, means } = table;
  const ids = prompt.responses;
  // What orders the responses: their means, or their place in Tideman's order; pairs, margins and strategies follow it.
  const scores = options.aggregation === 'ranked-pairs' ? tierPositions(rankedPairsTiers(table, (i) => idAt(ids, i)), size) : means;

  const order: number[] = [];
  for (let i = 0; i < size; i++) if (!Number.isNaN(scores[i] as number)) order.push(i);
  if (order.length < 2) return [];
  // Insertion sort: K is a handful, and Array#sort with a comparator costs more than the work at that size.
  for (let i = 1; i < order.length; i++) {
    const x = order[i] as number;
    let j = i - 1;
    for (; j >= 0; j--) {
      const y = order[j] as number;
      if (compareResponses(scores, ids, y, x) <= 0) break;
      order[j + 1] = y;
    }
    order[j + 1] = x;
  }
  const best = scores[order[0] as number] as number;
  const worst = scores[order[order.length - 1] as number] as number;
  if (worst - best <= MEAN_RANK_EPSILON) return [];

  const run: PairRun<T> = { table, scores, ids, minMargin: options.minMargin ?? 0, minAgreement: options.minAgreement ?? 0, dropped, pairs: [], at: [] };
  const n = order.length;
  const strategy = options.strategy ?? 'all';
  if (strategy === 'all') {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) addPair(run, order[a] as number, order[b] as number);
  } else {
    for (let a = 0; a < n && (scores[order[a] as number] as number) - best <= MEAN_RANK_EPSILON; a++) {
      for (let b = n - 1; b > a; b--) {
        const rejectedScore = scores[order[b] as number] as number;
        if (strategy === 'best-worst' && worst - rejectedScore > MEAN_RANK_EPSILON) break;
        addPair(run, order[a] as number, order[b] as number);
      }
    }
  }
  // The loops emit chosen-major order; only tied chosen scores can leave that out of the promised order
  // (chosen score, then rejected score, then chosen id, then rejected id).
  const { pairs } = run;
  for (let i = 1; i < pairs.length; i++) {
    if (comparePairsAt(run, i - 1, i) > 0) return pairs.map((_, k) => k).sort((x, y) => comparePairsAt(run, x, y)).map((k) => pairs[k] as PromptPair<T>);
  }
  return pairs;
}

// The helpers below are module functions over one prompt's state rather than closures made per prompt: the export
// calls pairsForPrompt for every prompt of a project, and a closure per call costs more than its work at K = 4.

/** One prompt's pairs in the making: its ranks and scores, the filters, and the pairs kept with their row indexes. */
type PairRun<T extends Id> = {
  table: RankTable;
  scores: readonly number[];
  ids: readonly { id: T }[];
  minMargin: number;
  minAgreement: number;
  dropped: PairDrops | undefined;
  pairs: PromptPair<T>[];
  /** Row indexes of each pair's chosen and rejected response, flat (no tuple per pair), for the final order check. */
  at: number[];
};

function compareResponses<T extends Id>(scores: readonly number[], ids: readonly { id: T }[], x: number, y: number): number {
  return compareMeans(scores[x] as number, scores[y] as number) || compareIds(idAt(ids, x), idAt(ids, y));
}

/** Adds the pair of rows c (chosen) and r unless a filter leaves it out. */
function addPair<T extends Id>(run: PairRun<T>, c: number, r: number): void {
  const { scores, dropped } = run;
  const { size, ranks, means } = run.table;
  const margin = (scores[r] as number) - (scores[c] as number);
  // Tolerance so that e.g. minMargin=0.1 keeps a margin of 2.1 − 2.0 computed as 0.0999…
  if (margin <= MEAN_RANK_EPSILON) return;
  if (margin < run.minMargin - MEAN_RANK_EPSILON) {
    if (dropped) dropped.minMargin++;
    return;
  }
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
  if (agreement < run.minAgreement - MEAN_RANK_EPSILON) {
    if (dropped) dropped.minAgreement++;
    return;
  }
  run.pairs.push({
    chosen: idAt(run.ids, c),
    rejected: idAt(run.ids, r),
    margin,
    votes: { for: votesFor, against, tied },
    agreement,
    chosenMeanRank: means[c] as number,
    rejectedMeanRank: means[r] as number,
    labelers,
  });
  run.at.push(c, r);
}

/** The promised order of the pairs at x and y: chosen score, then rejected score, then chosen id, then rejected id. */
function comparePairsAt<T extends Id>(run: PairRun<T>, x: number, y: number): number {
  const { at, scores, ids } = run;
  const xc = at[2 * x] as number;
  const xr = at[2 * x + 1] as number;
  const yc = at[2 * y] as number;
  const yr = at[2 * y + 1] as number;
  return (
    compareMeans(scores[xc] as number, scores[yc] as number) ||
    compareMeans(scores[xr] as number, scores[yr] as number) ||
    compareIds(idAt(ids, xc), idAt(ids, yc)) ||
    compareIds(idAt(ids, xr), idAt(ids, yr))
  );
}

/** Each response's fractional position in an order of tiers (NaN where absent): the scale mean ranks are on. */
function tierPositions(tiers: readonly number[][], size: number): number[] {
  const positions = new Array<number>(size).fill(Number.NaN);
  let position = 1;
  for (const tier of tiers) {
    for (const i of tier) positions[i] = position + (tier.length - 1) / 2;
    position += tier.length;
  }
  return positions;
}

function idAt<T extends Id>(responses: readonly { id: T }[], index: number): T {
  return (responses[index] as { id: T }).id;
}
