import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pairsForPrompt, type PairOptions, type PromptPair } from '../../../server/ranking/pairs.ts';
import type { Id, Ranking } from '../../../shared/ranking.ts';

function prompt<T extends Id>(ids: T[], rankings: Ranking<T>[]) {
  return { responses: ids.map((id) => ({ id })), rankings: rankings.map((ranking) => ({ ranking })) };
}

const pairIds = (pairs: PromptPair[]) => pairs.map((p) => [p.chosen, p.rejected]);

/*
 * The seed's worked example, by hand. Fractional ranks:
 *   A [[2],[1],[3]]: r2=1 r1=2 r3=3;  B [[1],[2],[3]]: r1=1 r2=2 r3=3;  C [[2],[3],[1]]: r2=1 r3=2 r1=3.
 * Means: r1=(2+1+3)/3=2, r2=(1+2+1)/3=4/3, r3=(3+3+2)/3=8/3, so consensus 2 > 1 > 3.
 * (2,1): margin 2−4/3=2/3; A 1<2 for, B 2>1 against, C 1<3 for → 2/1/0, agreement 2/3.
 * (2,3): margin 8/3−4/3=4/3; A, B, C all for → 3/0/0, agreement 1.
 * (1,3): margin 8/3−2=2/3; A 2<3 for, B 1<3 for, C 3>2 against → 2/1/0, agreement 2/3.
 */
const seed = prompt([1, 2, 3], [[[2], [1], [3]], [[1], [2], [3]], [[2], [3], [1]]]);

describe('pairsForPrompt on the seed example', () => {
  it('emits every better/worse pair with margins, votes and agreement', () => {
    const pairs = pairsForPrompt(seed, { strategy: 'all' });
    expect(pairIds(pairs)).toEqual([[2, 1], [2, 3], [1, 3]]);
    const [p21, p23, p13] = pairs as [PromptPair, PromptPair, PromptPair];
    expect(p21.margin).toBeCloseTo(2 / 3, 12);
    expect(p21.votes).toEqual({ for: 2, against: 1, tied: 0 });
    expect(p21.agreement).toBeCloseTo(2 / 3, 12);
    expect(p21.chosenMeanRank).toBeCloseTo(4 / 3, 12);
    expect(p21.rejectedMeanRank).toBe(2);
    expect(p21.labelers).toBe(3);
    expect(p23.margin).toBeCloseTo(4 / 3, 12);
    expect(p23.votes).toEqual({ for: 3, against: 0, tied: 0 });
    expect(p23.agreement).toBe(1);
    expect(p13.margin).toBeCloseTo(2 / 3, 12);
    expect(p13.votes).toEqual({ for: 2, against: 1, tied: 0 });
    expect(p13.agreement).toBeCloseTo(2 / 3, 12);
  });

  it('defaults to all', () => {
    expect(pairsForPrompt(seed)).toEqual(pairsForPrompt(seed, { strategy: 'all' }));
  });

  it('best-worst: the winner against the loser', () => {
    expect(pairIds(pairsForPrompt(seed, { strategy: 'best-worst' }))).toEqual([[2, 3]]);
  });

  it('best-vs-rest: the winner against each other response', () => {
    expect(pairIds(pairsForPrompt(seed, { strategy: 'best-vs-rest' }))).toEqual([[2, 1], [2, 3]]);
  });

  it('minMargin keeps margins at or above it, tolerating float rounding at the boundary', () => {
    expect(pairIds(pairsForPrompt(seed, { minMargin: 1 }))).toEqual([[2, 3]]);
    expect(pairIds(pairsForPrompt(seed, { minMargin: 2 / 3 }))).toEqual([[2, 1], [2, 3], [1, 3]]);
    expect(pairIds(pairsForPrompt(seed, { minMargin: 0.6667 }))).toEqual([[2, 3]]);
    expect(pairIds(pairsForPrompt(seed, { minMargin: 4 / 3 }))).toEqual([[2, 3]]);
    expect(pairsForPrompt(seed, { minMargin: 1.34 })).toEqual([]);
  });

  it('minAgreement keeps agreement at or above it', () => {
    expect(pairIds(pairsForPrompt(seed, { minAgreement: 0.7 }))).toEqual([[2, 3]]);
    expect(pairIds(pairsForPrompt(seed, { minAgreement: 2 / 3 }))).toHaveLength(3);
    expect(pairIds(pairsForPrompt(seed, { minAgreement: 1 }))).toEqual([[2, 3]]);
  });

  it('minLabelers drops a prompt with fewer counted rankings', () => {
    expect(pairsForPrompt(seed, { minLabelers: 4 })).toEqual([]);
    expect(pairsForPrompt(seed, { minLabelers: 3 })).toHaveLength(3);
  });

  it('filters combine', () => {
    const options: PairOptions = { strategy: 'best-vs-rest', minMargin: 1, minAgreement: 0.5, minLabelers: 2 };
    expect(pairIds(pairsForPrompt(seed, options))).toEqual([[2, 3]]);
  });
});

describe('pairsForPrompt with ties', () => {
  it("never pairs DESIGN.md's tied r1 and r4", () => {
    // One labeler: r3=1, r1=r4=2.5, r2=4.
    const pairs = pairsForPrompt(prompt(['r1', 'r2', 'r3', 'r4'], [[['r3'], ['r1', 'r4'], ['r2']]]));
    expect(pairIds(pairs)).toEqual([['r3', 'r1'], ['r3', 'r4'], ['r3', 'r2'], ['r1', 'r2'], ['r4', 'r2']]);
    expect(pairs.map((p) => p.margin)).toEqual([1.5, 1.5, 3, 1.5, 1.5]);
    expect(pairs.every((p) => p.votes.for === 1 && p.labelers === 1 && p.agreement === 1)).toBe(true);
  });

  it('counts a labeler tie as half a vote in agreement', () => {
    // A [[a,b],[c]]: a=b=1.5, c=3.  B [[a],[b],[c]]: a=1, b=2, c=3.  Means a=1.25, b=1.75, c=3.
    // (a,b): margin 0.5, A tied, B for → 1/0/1, agreement (1 + 1/2)/2 = 0.75.
    const pairs = pairsForPrompt(prompt(['a', 'b', 'c'], [[['a', 'b'], ['c']], [['a'], ['b'], ['c']]]));
    expect(pairs).toEqual([
      { chosen: 'a', rejected: 'b', margin: 0.5, votes: { for: 1, against: 0, tied: 1 }, agreement: 0.75, chosenMeanRank: 1.25, rejectedMeanRank: 1.75, labelers: 2 },
      { chosen: 'a', rejected: 'c', margin: 1.75, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, chosenMeanRank: 1.25, rejectedMeanRank: 3, labelers: 2 },
      { chosen: 'b', rejected: 'c', margin: 1.25, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, chosenMeanRank: 1.75, rejectedMeanRank: 3, labelers: 2 },
    ]);
  });

  it('never emits a consensus tie, and orders tied chosens by rejected mean first', () => {
    // A [[a],[b],[c],[d]], B [[b],[a],[c],[d]]: a=b=1.5, c=3, d=4.
    const p = prompt(['a', 'b', 'c', 'd'], [[['a'], ['b'], ['c'], ['d']], [['b'], ['a'], ['c'], ['d']]]);
    const pairs = pairsForPrompt(p);
    expect(pairIds(pairs)).toEqual([['a', 'c'], ['b', 'c'], ['a', 'd'], ['b', 'd'], ['c', 'd']]);
    expect(pairs[0]?.margin).toBe(1.5);
  });

  it('best-worst pairs every tied best with every tied worst', () => {
    // A [[a],[b],[c],[d]], B [[b],[a],[d],[c]]: a=b=1.5, c=d=3.5; each pair: A for, B for.
    const p = prompt(['a', 'b', 'c', 'd'], [[['a'], ['b'], ['c'], ['d']], [['b'], ['a'], ['d'], ['c']]]);
    const pairs = pairsForPrompt(p, { strategy: 'best-worst' });
    expect(pairIds(pairs)).toEqual([['a', 'c'], ['a', 'd'], ['b', 'c'], ['b', 'd']]);
    expect(pairs.every((x) => x.margin === 2 && x.votes.for === 2 && x.agreement === 1)).toBe(true);
  });

  it('best-worst with one best and tied worsts; best-vs-rest against every strictly worse one', () => {
    // A [[a],[b],[c],[d]], B [[a],[b],[d],[c]]: a=1, b=2, c=d=3.5.
    const p = prompt(['a', 'b', 'c', 'd'], [[['a'], ['b'], ['c'], ['d']], [['a'], ['b'], ['d'], ['c']]]);
    expect(pairIds(pairsForPrompt(p, { strategy: 'best-worst' }))).toEqual([['a', 'c'], ['a', 'd']]);
    expect(pairIds(pairsForPrompt(p, { strategy: 'best-vs-rest' }))).toEqual([['a', 'b'], ['a', 'c'], ['a', 'd']]);
    expect(pairIds(pairsForPrompt(p, { strategy: 'all' }))).toEqual([['a', 'b'], ['a', 'c'], ['a', 'd'], ['b', 'c'], ['b', 'd']]);
  });

  it('best-vs-rest with tied bests leaves the bests unpaired with each other', () => {
    // a=b=1.5, c=3 from A [[a],[b],[c]], B [[b],[a],[c]].
    const p = prompt(['a', 'b', 'c'], [[['a'], ['b'], ['c']], [['b'], ['a'], ['c']]]);
    expect(pairIds(pairsForPrompt(p, { strategy: 'best-vs-rest' }))).toEqual([['a', 'c'], ['b', 'c']]);
  });

  it('yields nothing when the whole consensus is one tie', () => {
    const p = prompt(['a', 'b', 'c'], [[['a', 'b', 'c']], [['a', 'b', 'c']]]);
    for (const strategy of ['all', 'best-worst', 'best-vs-rest'] as const) expect(pairsForPrompt(p, { strategy })).toEqual([]);
    expect(pairsForPrompt(prompt(['x', 'y'], [[['x'], ['y']], [['y'], ['x']]]))).toEqual([]);
  });

  it('yields nothing without rankings', () => {
    expect(pairsForPrompt(prompt(['a', 'b'], []))).toEqual([]);
  });

  it('counts only labelers who ranked both responses of a pair', () => {
    // c was added after B ranked: a=(1+2)/2, b=(2+1)/2 tie; c=3 from A alone.
    const pairs = pairsForPrompt(prompt(['a', 'b', 'c'], [[['a'], ['b'], ['c']], [['b'], ['a']]]));
    expect(pairIds(pairs)).toEqual([['a', 'c'], ['b', 'c']]);
    expect(pairs.map((p) => [p.labelers, p.votes.for, p.margin])).toEqual([[1, 1, 1.5], [1, 1, 1.5]]);
  });
});

describe('pairsForPrompt invariants', () => {
  it('every pair is strictly better, with votes adding up; all ⊇ best-vs-rest ⊇ best-worst', () => {
    const ids = [1, 2, 3, 4];
    const rankingArb = fc.shuffledSubarray(ids, { minLength: 4, maxLength: 4 }).chain((order) =>
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }).map((cuts) => {
        const tiers: number[][] = [[order[0] as number]];
        cuts.forEach((cut, i) => (cut ? tiers.push([order[i + 1] as number]) : tiers[tiers.length - 1]?.push(order[i + 1] as number)));
        return tiers;
      }),
    );
    fc.assert(
      fc.property(fc.array(rankingArb, { minLength: 1, maxLength: 5 }), (rankings) => {
        const p = prompt(ids, rankings);
        const all = pairsForPrompt(p, { strategy: 'all' });
        const key = (x: PromptPair) => `${x.chosen}>${x.rejected}`;
        const allKeys = new Set(all.map(key));
        for (const x of all) {
          expect(x.margin).toBeGreaterThan(0);
          expect(x.margin).toBeCloseTo(x.rejectedMeanRank - x.chosenMeanRank, 12);
          expect(x.votes.for + x.votes.against + x.votes.tied).toBe(rankings.length);
          expect(x.agreement).toBeCloseTo((x.votes.for + x.votes.tied / 2) / rankings.length, 12);
        }
        const rest = pairsForPrompt(p, { strategy: 'best-vs-rest' });
        const worst = pairsForPrompt(p, { strategy: 'best-worst' });
        expect(rest.every((x) => allKeys.has(key(x)))).toBe(true);
        expect(worst.every((x) => rest.some((y) => key(y) === key(x)))).toBe(true);
        expect(all.length === 0).toBe(worst.length === 0);
      }),
    );
  });
});

describe('pairsForPrompt with ranked-pairs aggregation', () => {
  // The Tennessee capital example (Wikipedia, "Ranked pairs"): mean ranks put Memphis (2.74) above Knoxville (2.93),
  // but 58 of 100 prefer Knoxville to Memphis, and Tideman's order is Nashville > Chattanooga > Knoxville > Memphis.
  const tennessee = prompt(['Memphis', 'Nashville', 'Chattanooga', 'Knoxville'], [
    ...Array.from({ length: 42 }, () => [['Memphis'], ['Nashville'], ['Chattanooga'], ['Knoxville']]),
    ...Array.from({ length: 26 }, () => [['Nashville'], ['Chattanooga'], ['Knoxville'], ['Memphis']]),
    ...Array.from({ length: 15 }, () => [['Chattanooga'], ['Knoxville'], ['Nashville'], ['Memphis']]),
    ...Array.from({ length: 17 }, () => [['Knoxville'], ['Chattanooga'], ['Nashville'], ['Memphis']]),
  ]);

  it('orders pairs by Tideman where mean ranks disagree, with the margin in Tideman positions', () => {
    const byMean = pairsForPrompt(tennessee);
    const memphisKnoxville = byMean.find((p) => [p.chosen, p.rejected].sort().join() === 'Knoxville,Memphis');
    expect(memphisKnoxville).toMatchObject({ chosen: 'Memphis', rejected: 'Knoxville', votes: { for: 42, against: 58, tied: 0 } });
    expect(memphisKnoxville?.margin).toBeCloseTo(2.93 - 2.74, 12);

    const byTideman = pairsForPrompt(tennessee, { aggregation: 'ranked-pairs' });
    expect(byTideman.map((p) => `${p.chosen}>${p.rejected}`)).toEqual([
      'Nashville>Chattanooga',
      'Nashville>Knoxville',
      'Nashville>Memphis',
      'Chattanooga>Knoxville',
      'Chattanooga>Memphis',
      'Knoxville>Memphis',
    ]);
    const knoxvilleMemphis = byTideman[5];
    expect(knoxvilleMemphis).toMatchObject({ margin: 1, votes: { for: 58, against: 42, tied: 0 }, agreement: 0.58, labelers: 100 });
    // The pair still reports the mean ranks, so a reader sees where the two aggregations part.
    expect(knoxvilleMemphis?.chosenMeanRank).toBeCloseTo(2.93, 12);
    expect(knoxvilleMemphis?.rejectedMeanRank).toBeCloseTo(2.74, 12);
  });

  it('applies strategies and margins to the Tideman order', () => {
    expect(pairsForPrompt(tennessee, { aggregation: 'ranked-pairs', strategy: 'best-worst' }).map((p) => `${p.chosen}>${p.rejected}:${p.margin}`)).toEqual(['Nashville>Memphis:3']);
    expect(pairsForPrompt(tennessee, { aggregation: 'ranked-pairs', minMargin: 2 }).map((p) => `${p.chosen}>${p.rejected}`)).toEqual(['Nashville>Knoxville', 'Nashville>Memphis', 'Chattanooga>Memphis']);
  });
});
