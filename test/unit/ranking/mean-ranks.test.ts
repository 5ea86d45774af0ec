import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanRanks, rankTable } from '../../../server/ranking/mean-ranks.ts';
import type { Ranking } from '../../../shared/ranking.ts';

describe('meanRanks', () => {
  it("reproduces DESIGN.md's example: [[r3],[r1,r4],[r2]] gives r3=1, r1=r4=2.5, r2=4", () => {
    expect(meanRanks([[['r3'], ['r1', 'r4'], ['r2']]])).toEqual(new Map([['r3', 1], ['r1', 2.5], ['r4', 2.5], ['r2', 4]]));
  });

  it('averages the seed example: r1=(2+1+3)/3=2, r2=(1+2+1)/3=4/3, r3=(3+3+2)/3=8/3', () => {
    const means = meanRanks([[[2], [1], [3]], [[1], [2], [3]], [[2], [3], [1]]]);
    expect(means.get(1)).toBe(2);
    expect(means.get(2)).toBeCloseTo(4 / 3, 12);
    expect(means.get(3)).toBeCloseTo(8 / 3, 12);
  });

  it('averages a response only over the rankings that place it, as SQL avg() does', () => {
    // c was sampled after B ranked: a=(1+2)/2, b=(2+1)/2, c=3 from A alone.
    expect(meanRanks([[['a'], ['b'], ['c']], [['b'], ['a']]])).toEqual(new Map([['a', 1.5], ['b', 1.5], ['c', 3]]));
  });

  it('gives nothing for no rankings', () => {
    expect(meanRanks([])).toEqual(new Map());
  });
});

describe('rankTable', () => {
  it('lays out each labeler’s fractional ranks in response order, NaN where a response was not ranked', () => {
    const table = rankTable({
      responses: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      rankings: [{ ranking: [['b', 'a'], ['c']] }, { ranking: [['c'], ['a'], ['zz']] }],
    });
    expect(table.size).toBe(3);
    expect(table.labelers).toBe(2);
    expect(Array.from(table.ranks)).toEqual([1.5, 1.5, 3, 2, Number.NaN, 1]);
    expect(Array.from(table.means)).toEqual([1.75, 1.5, 2]);
  });

  it('agrees with meanRanks on any complete rankings', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const rankingArb = fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }).chain((order) =>
      fc.array(fc.boolean(), { minLength: order.length - 1, maxLength: order.length - 1 }).map((breaks) => {
        const tiers: string[][] = [[order[0] as string]];
        breaks.forEach((cut, i) => (cut ? tiers.push([order[i + 1] as string]) : tiers[tiers.length - 1]?.push(order[i + 1] as string)));
        return tiers as Ranking<string>;
      }),
    );
    fc.assert(
      fc.property(fc.array(rankingArb, { minLength: 1, maxLength: 6 }), (rankings) => {
        const table = rankTable({ responses: ids.map((id) => ({ id })), rankings: rankings.map((ranking) => ({ ranking })) });
        const means = meanRanks(rankings);
        ids.forEach((id, i) => expect(table.means[i]).toBeCloseTo(means.get(id) as number, 12));
      }),
    );
  });
});
