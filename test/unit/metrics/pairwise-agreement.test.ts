import { describe, expect, it } from 'vitest';
import { pairwiseAgreement, pairwiseCounts } from '../../../server/metrics/pairwise-agreement.ts';

// Pairwise agreement has no standard published table (InstructGPT reports ~73% inter-labeler agreement without a
// worked example), so these cases are computed by hand; each comment shows the arithmetic.
describe('pairwiseAgreement', () => {
  it('scores the scipy kendalltau example as 3/10', () => {
    // Two labelers over 5 responses with the fractional ranks of scipy's kendalltau example
    // (x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0]): of the 10 response pairs, 2 are ordered the same way (1 each),
    // 6 oppositely (0 each), 1 is tied by the first labeler only and 1 by both (0.5 each): (2 + 0.5 + 0.5) / 10.
    const counts = pairwiseCounts([
      [4.5, 2.5, 1, 4.5, 2.5],
      [2.5, 4, 5, 2.5, 1],
    ]);
    expect(counts).toEqual({ score: 3, cases: 10 });
  });

  it('scores a tie on either side, and on both sides, as one half', () => {
    // K = 2: one response pair, one labeler pair. Tie vs order: 0.5; tie vs tie: 0.5; same order: 1; opposite: 0.
    expect(pairwiseAgreement([[[1.5, 1.5], [1, 2]]])).toBe(0.5);
    expect(pairwiseAgreement([[[1.5, 1.5], [1.5, 1.5]]])).toBe(0.5);
    expect(pairwiseAgreement([[[1, 2], [1, 2]]])).toBe(1);
    expect(pairwiseAgreement([[[1, 2], [2, 1]]])).toBe(0);
  });

  it('counts every pair of labelers: three labelers, two agreeing, one reversed, gives 3/9', () => {
    // 3 response pairs x 3 labeler pairs = 9 cases; only the pair (L1, L2) agrees, on all 3 response pairs.
    expect(pairwiseCounts([[1, 2, 3], [1, 2, 3], [3, 2, 1]])).toEqual({ score: 3, cases: 9 });
  });

  it('pools cases over prompts rather than averaging prompts, and skips prompts with one labeler', () => {
    // Prompt 1: 3/9 as above. Prompt 2: K = 2, one case, agreeing: 1/1. Prompt 3: one labeler, no case.
    // Pooled: (3 + 1) / (9 + 1) = 0.4.
    const prompts = [
      [[1, 2, 3], [1, 2, 3], [3, 2, 1]],
      [[1, 2], [1, 2]],
      [[1, 2, 3, 4]],
    ];
    expect(pairwiseAgreement(prompts)).toBeCloseTo(0.4, 15);
  });

  it('is null when no prompt has two labelers', () => {
    expect(pairwiseAgreement([[[1, 2, 3]]])).toBeNull();
    expect(pairwiseAgreement([])).toBeNull();
  });
});
