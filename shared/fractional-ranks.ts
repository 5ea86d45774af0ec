import type { Id, Ranking } from './ranking.ts';

/** Fractional rank: the mean of the positions a tier covers, so [[a],[b,c],[d]] gives a=1, b=c=2.5, d=4. */
export function fractionalRanks<T extends Id>(ranking: Ranking<T>): Map<T, number> {
  const ranks = new Map<T, number>();
  let position = 1;
  for (const tier of ranking) {
    const rank = position + (tier.length - 1) / 2;
    for (const id of tier) ranks.set(id, rank);
    position += tier.length;
  }
  return ranks;
}
