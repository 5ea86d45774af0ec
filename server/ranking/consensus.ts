import type { Id, Ranking } from '../../shared/ranking.ts';

/**
 * Means are averages of floats, so two responses every labeler placed alike can differ in the last bit;
 * distinct means over L labelers differ by at least 0.5 / L, far above this.
 */
export const MEAN_RANK_EPSILON = 1e-9;

/** Total order on ids so ties come out the same on every run: numbers before strings, numbers by value, strings by code unit. */
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Consensus order: tiers by ascending mean rank, best first; means within MEAN_RANK_EPSILON are one tier, ids ascending inside it. */
export function consensusOrder<T extends Id>(means: ReadonlyMap<T, number>): Ranking<T> {
  const sorted = [...means].filter(([, mean]) => !Number.isNaN(mean));
  sorted.sort((a, b) => compareMeans(a[1], b[1]) || compareIds(a[0], b[0]));
  const tiers: T[][] = [];
  let tier: T[] = [];
  let tierMean = Number.NaN;
  for (const [id, mean] of sorted) {
    if (tier.length > 0 && mean - tierMean <= MEAN_RANK_EPSILON) tier.push(id);
    else {
      tier = [id];
      tiers.push(tier);
    }
    tierMean = mean;
  }
  return tiers;
}

/** Compares two means with the tie tolerance: 0 when they are a consensus tie. */
export function compareMeans(a: number, b: number): number {
  const d = a - b;
  return d > MEAN_RANK_EPSILON || d < -MEAN_RANK_EPSILON ? d : 0;
}
