/**
 * Fractional rank per response: the mean of the positions its tier covers ([[a],[b,c],[d]] gives
 * a=1, b=c=2.5, d=4), as DESIGN.md defines it. The server has the same function in
 * server/ranking/fractional-ranks.ts; the client may not import server code, and this is four lines.
 */
export function fractionalRanks(tiers: readonly (readonly number[])[]): Map<number, number> {
  const ranks = new Map<number, number>();
  let position = 1;
  for (const tier of tiers) {
    for (const id of tier) ranks.set(id, position + (tier.length - 1) / 2);
    position += tier.length;
  }
  return ranks;
}

/** A response's short name on the results page: its place in the prompt's stored order, A to I (K is at most 9). */
export function responseLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** Ranks print as "2" or "2.5", never "2.333333". */
export function formatRank(rank: number | null | undefined): string {
  if (rank === null || rank === undefined) return '–';
  return Number.isInteger(rank) ? String(rank) : rank.toFixed(2).replace(/0$/, '');
}
