import { describe, expect, it } from 'vitest';
import { rankedPairsOrder } from '../../../server/ranking/ranked-pairs.ts';
import type { Ranking } from '../../../shared/ranking.ts';

function prompt(ids: string[], groups: [number, Ranking<string>][]) {
  const rankings = groups.flatMap(([count, ranking]) => Array.from({ length: count }, () => ({ ranking })));
  return { responses: ids.map((id) => ({ id })), rankings };
}

describe('rankedPairsOrder', () => {
  it('reproduces the Tennessee capital example (Wikipedia, "Ranked pairs"): Nashville > Chattanooga > Knoxville > Memphis', () => {
    // 42% Memphis voters, 26% Nashville, 15% Chattanooga, 17% Knoxville; Memphis wins the plurality but loses every pair 42–58.
    const p = prompt(['Memphis', 'Nashville', 'Chattanooga', 'Knoxville'], [
      [42, [['Memphis'], ['Nashville'], ['Chattanooga'], ['Knoxville']]],
      [26, [['Nashville'], ['Chattanooga'], ['Knoxville'], ['Memphis']]],
      [15, [['Chattanooga'], ['Knoxville'], ['Nashville'], ['Memphis']]],
      [17, [['Knoxville'], ['Chattanooga'], ['Nashville'], ['Memphis']]],
    ]);
    expect(rankedPairsOrder(p)).toEqual([['Nashville'], ['Chattanooga'], ['Knoxville'], ['Memphis']]);
  });

  it('breaks a Condorcet cycle at its weakest majority', () => {
    // 5 labelers: a>b 4–1, b>c 3–2, c>a 3–2, the cycle a>b>c>a. a>b locks first (4 votes); b>c and c>a tie
    // at 3 for / 2 against, so ids put b>c next; c>a would then close the cycle and is skipped.
    const p = prompt(['a', 'b', 'c'], [
      [2, [['a'], ['b'], ['c']]],
      [2, [['c'], ['a'], ['b']]],
      [1, [['b'], ['c'], ['a']]],
    ]);
    expect(rankedPairsOrder(p)).toEqual([['a'], ['b'], ['c']]);
  });

  it('keeps exact pairwise ties as tiers', () => {
    const p = prompt(['a', 'b', 'c'], [
      [1, [['a'], ['b'], ['c']]],
      [1, [['b'], ['a'], ['c']]],
    ]);
    expect(rankedPairsOrder(p)).toEqual([['a', 'b'], ['c']]);
    expect(rankedPairsOrder(prompt(['a', 'b'], []))).toEqual([]);
  });
});
