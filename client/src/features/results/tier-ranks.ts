/** A response's short name on the results page: its place in the prompt's stored order, A to I (K is at most 9). */
export function responseLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** Ranks print as "2" or "2.5", never "2.333333". */
export function formatRank(rank: number | null | undefined): string {
  if (rank === null || rank === undefined) return '–';
  return Number.isInteger(rank) ? String(rank) : rank.toFixed(2).replace(/0$/, '');
}
