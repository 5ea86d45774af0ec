import { describe, expect, it } from 'vitest';
import { formatRank, responseLetter } from '../../../client/src/features/results/tier-ranks.ts';
import { fractionalRanks } from '../../../shared/fractional-ranks.ts';

describe('results page ranks', () => {
  it('gives each response the mean of the positions its tier covers (the DESIGN.md example)', () => {
    // [["r3"], ["r1","r4"], ["r2"]] → r3 = 1, r1 = r4 = 2.5, r2 = 4, with ids 3, 1, 4, 2.
    expect(Object.fromEntries(fractionalRanks([[3], [1, 4], [2]]))).toEqual({ 3: 1, 1: 2.5, 4: 2.5, 2: 4 });
    expect(fractionalRanks([[1, 2, 3]]).get(2)).toBe(2);
    expect(fractionalRanks([]).size).toBe(0);
  });

  it('prints ranks short and names responses A to I', () => {
    expect([formatRank(2), formatRank(2.5), formatRank(1.75), formatRank(7 / 3), formatRank(null)]).toEqual(['2', '2.5', '1.75', '2.33', '–']);
    expect([responseLetter(0), responseLetter(8)]).toEqual(['A', 'I']);
  });
});
