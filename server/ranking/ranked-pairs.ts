import type { Id, Ranking } from '../../shared/ranking.ts';
import { compareIds } from './consensus.ts';
import { rankTable, type RankedPrompt, type RankTable } from './mean-ranks.ts';

/**
 * Tideman's ranked pairs, the alternative to mean rank that Open-Assistant uses to merge rankings.
 * Majorities (a over b by more labelers than b over a) are locked strongest first, by winning votes, then fewest
 * losing votes, then ids, skipping any that would close a cycle. The order is then read off the locked graph in
 * layers: a tier is every response nothing remaining beats. Two responses without a majority share a tier unless a
 * locked chain through a third response puts one above the other.
 */
export function rankedPairsOrder<T extends Id>(prompt: RankedPrompt<T>): Ranking<T> {
  const id = (i: number): T => (prompt.responses[i] as { id: T }).id;
  return rankedPairsTiers(rankTable(prompt), id).map((tier) => tier.map(id));
}

/** The same order as response indexes into the table's rows, ids ascending inside a tier. */
export function rankedPairsTiers<T extends Id>(table: RankTable, id: (index: number) => T): number[][] {
  const { size, ranks, means } = table;
  const present: number[] = [];
  for (let i = 0; i < size; i++) if (!Number.isNaN(means[i] as number)) present.push(i);
  const prefer = (a: number, b: number): number => {
    let n = 0;
    for (let row = 0; row < ranks.length; row += size) if ((ranks[row + a] as number) < (ranks[row + b] as number)) n++;
    return n;
  };
  const majorities: { winner: number; loser: number; votes: number; against: number }[] = [];
  for (let x = 0; x < present.length; x++) {
    for (let y = x + 1; y < present.length; y++) {
      const a = present[x] as number;
      const b = present[y] as number;
      const ab = prefer(a, b);
      const ba = prefer(b, a);
      if (ab > ba) majorities.push({ winner: a, loser: b, votes: ab, against: ba });
      else if (ba > ab) majorities.push({ winner: b, loser: a, votes: ba, against: ab });
    }
  }
  majorities.sort((p, q) => q.votes - p.votes || p.against - q.against || compareIds(id(p.winner), id(q.winner)) || compareIds(id(p.loser), id(q.loser)));

  const beats = new Map<number, Set<number>>(present.map((i) => [i, new Set<number>()]));
  const reaches = (from: number, to: number): boolean => {
    const stack = [from];
    const seen = new Set<number>();
    while (stack.length) {
      const at = stack.pop() as number;
      if (at === to) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const next of beats.get(at) ?? []) stack.push(next);
    }
    return false;
  };
  for (const m of majorities) if (!reaches(m.loser, m.winner)) beats.get(m.winner)?.add(m.loser);

  const tiers: number[][] = [];
  let remaining = present;
  while (remaining.length) {
    const beaten = new Set<number>();
    for (const i of remaining) for (const j of beats.get(i) ?? []) beaten.add(j);
    const tier = remaining.filter((i) => !beaten.has(i));
    tiers.push(tier.sort((a, b) => compareIds(id(a), id(b))));
    remaining = remaining.filter((i) => beaten.has(i));
  }
  return tiers;
}
