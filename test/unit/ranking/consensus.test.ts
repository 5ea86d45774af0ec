import { describe, expect, it } from 'vitest';
import { compareIds, consensusOrder } from '../../../server/ranking/consensus.ts';
import { meanRanks } from '../../../server/ranking/mean-ranks.ts';

describe('consensusOrder', () => {
  it('orders the seed example 2 > 1 > 3', () => {
    expect(consensusOrder(meanRanks([[[2], [1], [3]], [[1], [2], [3]], [[2], [3], [1]]]))).toEqual([[2], [1], [3]]);
  });

  it("keeps DESIGN.md's tie as one tier", () => {
    expect(consensusOrder(meanRanks([[['r3'], ['r1', 'r4'], ['r2']]]))).toEqual([['r3'], ['r1', 'r4'], ['r2']]);
  });

  it('ties means that differ only by float noise, and only those', () => {
    expect(consensusOrder(new Map([['b', 0.1 + 0.2], ['a', 0.3], ['c', 0.3 + 1e-6]]))).toEqual([['a', 'b'], ['c']]);
  });

  it('makes a tie of labelers who disagree exactly', () => {
    expect(consensusOrder(meanRanks([[['x'], ['y']], [['y'], ['x']]]))).toEqual([['x', 'y']]);
  });
});

describe('compareIds', () => {
  it('puts numbers first by value, then strings by code unit', () => {
    expect([10, 'b', 2, 'B', 'a'].sort(compareIds)).toEqual([2, 10, 'B', 'a', 'b']);
  });
});
