import { describe, expect, it } from 'vitest';
import { wantedLabels } from '../../../server/quality/adaptive-overlap.ts';

const settings = { labelersPerPrompt: 2, maxLabelersPerPrompt: 4, minKendallW: 0.5 };

describe('wantedLabels', () => {
  it('wants R before anything else', () => {
    expect(wantedLabels([], settings)).toBe(2);
    expect(wantedLabels([[1, 2, 3]], settings)).toBe(2);
  });

  it('is satisfied when the R labelers agree: two identical orders have W = 1', () => {
    expect(wantedLabels([[1, 2, 3, 4], [1, 2, 3, 4]], settings)).toBe(2);
  });

  it('asks for one more while W is below the threshold, up to the cap', () => {
    // Two reversed orders: rank sums are all 5, S = 0, so W = 0.
    expect(wantedLabels([[1, 2, 3, 4], [4, 3, 2, 1]], settings)).toBe(3);
    // A third labeler siding with the first: sums 6, 7, 8, 9 around a mean of 7.5, S = 5;
    // W = 12·5 / (3²·(4³ − 4)) = 60 / 540 = 0.111, still below 0.5.
    expect(wantedLabels([[1, 2, 3, 4], [4, 3, 2, 1], [1, 2, 3, 4]], settings)).toBe(4);
    expect(wantedLabels([[1, 2, 3, 4], [4, 3, 2, 1], [1, 2, 3, 4], [4, 3, 2, 1]], settings)).toBe(4);
  });

  it('asks for none where every labeler tied everything (W undefined)', () => {
    expect(wantedLabels([[2.5, 2.5, 2.5, 2.5], [2.5, 2.5, 2.5, 2.5]], settings)).toBe(2);
  });
});
