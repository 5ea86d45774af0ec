import type { Id, Ranking } from '../../shared/ranking.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';

/** What aggregation needs of a prompt: its responses and the rankings that count (excluded labelers and skips already left out). */
export type RankedPrompt<T extends Id = Id> = {
  responses: readonly { id: T }[];
  /**
   * `ranks`, when given, are the labeler's scores on the fractional-rank scale in place of the fractional ranks of
   * `ranking`: under `criterion=combined`, their weighted mean fractional rank over the criteria (combined-ranks.ts).
   */
  rankings: readonly { ranking: Ranking<T>; ranks?: ReadonlyMap<T, number> | undefined }[];
};

/**
 * Fractional ranks of one prompt as flat arrays, rows in the order of `prompt.responses`.
 * `ranks[labeler * size + response]` is NaN where a ranking leaves a response out (a response sampled after
 * that labeler ranked); `means` averages only the ranks present, as SQL's avg() does, and is NaN where none is.
 */
export type RankTable = { size: number; labelers: number; ranks: number[]; means: number[] };

/** Mean fractional rank of each response over the given counted rankings; lower is better. */
export function meanRanks<T extends Id>(rankings: readonly Ranking<T>[]): Map<T, number> {
  const sums = new Map<T, number>();
  const counts = new Map<T, number>();
  for (const ranking of rankings) {
    for (const [id, rank] of fractionalRanks(ranking)) {
      sums.set(id, (sums.get(id) ?? 0) + rank);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  const means = new Map<T, number>();
  for (const [id, sum] of sums) means.set(id, sum / (counts.get(id) ?? 1));
  return means;
}

/** The same means as `meanRanks`, plus every labeler's ranks, without a Map per ranking: the export runs this per prompt. */
export function rankTable<T extends Id>(prompt: RankedPrompt<T>): RankTable {
  const { responses, rankings } = prompt;
  const size = responses.length;
  const labelers = rankings.length;
  const ranks: number[] = new Array<number>(size * labelers).fill(Number.NaN);
  for (let l = 0; l < labelers; l++) {
    const { ranking: tiers, ranks: scores } = rankings[l] as RankedPrompt<T>['rankings'][number];
    const row = l * size;
    if (scores) {
      for (let i = 0; i < size; i++) ranks[row + i] = scores.get((responses[i] as { id: T }).id) ?? Number.NaN;
      continue;
    }
    // Same arithmetic as fractionalRanks: a tier covering positions p..p+n-1 gets p + (n-1)/2.
    let position = 1;
    for (const tier of tiers) {
      const rank = position + (tier.length - 1) / 2;
      for (const id of tier) {
        const index = indexOfResponse(responses, id);
        // An id that is not a response of this prompt carries no information about its responses.
        if (index >= 0 && Number.isNaN(ranks[row + index] as number)) ranks[row + index] = rank;
      }
      position += tier.length;
    }
  }
  const means: number[] = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    let sum = 0;
    let count = 0;
    for (let at = i; at < ranks.length; at += size) {
      const rank = ranks[at] as number;
      if (!Number.isNaN(rank)) {
        sum += rank;
        count++;
      }
    }
    means[i] = count ? sum / count : Number.NaN;
  }
  return { size, labelers, ranks, means };
}

// K is a handful of responses, so a scan beats building a Map for every prompt of a large export.
function indexOfResponse<T extends Id>(responses: readonly { id: T }[], id: T): number {
  for (let i = 0; i < responses.length; i++) if ((responses[i] as { id: T }).id === id) return i;
  return -1;
}
