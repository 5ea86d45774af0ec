import type { Id, Ranking } from '../../shared/ranking.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';
import { consensusOrder } from './consensus.ts';

/**
 * `criterion=combined`: each response's weighted mean, over the criteria, of its per-criterion values (mean ranks of a
 * prompt, or one labeler's fractional ranks): Σ w_c · x_c / Σ w_c over the criteria where the response has a value.
 * `perCriterion[c]` and `weights[c]` are in the project's criterion order. Lower is better, as with mean ranks.
 */
export function combinedMeanRanks<T extends Id>(perCriterion: readonly ReadonlyMap<T, number>[], weights: readonly number[]): Map<T, number> {
  const sums = new Map<T, number>();
  const weightSums = new Map<T, number>();
  perCriterion.forEach((values, c) => {
    const w = weights[c] ?? 1;
    for (const [id, x] of values) {
      if (Number.isNaN(x)) continue;
      sums.set(id, (sums.get(id) ?? 0) + w * x);
      weightSums.set(id, (weightSums.get(id) ?? 0) + w);
    }
  });
  const out = new Map<T, number>();
  for (const [id, sum] of sums) out.set(id, sum / (weightSums.get(id) ?? 1));
  return out;
}

/**
 * One labeler's ranking under `criterion=combined`: their weighted mean fractional rank of each response over the
 * criteria (`ranks`), and the order those give (`ranking`, equal values one tier), for the figures that take tiers
 * (agreement, review, leaderboard). The mean of `ranks` over labelers is the weighted mean of the per-criterion mean
 * ranks, so pairs built from `ranks` have the combined means' margins.
 */
export function combinedLabelerRanking<T extends Id>(criteriaRankings: readonly Ranking<T>[], weights: readonly number[]): { ranking: Ranking<T>; ranks: Map<T, number> } {
  const ranks = combinedMeanRanks(criteriaRankings.map((r) => fractionalRanks(r)), weights);
  return { ranking: consensusOrder(ranks), ranks };
}
