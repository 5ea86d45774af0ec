import { describe, expect, it } from 'vitest';
import { tauB } from '../../../server/metrics/tau-b.ts';

describe('tauB', () => {
  it('reproduces the scipy.stats.kendalltau documented example', () => {
    // SciPy reference, scipy.stats.kendalltau, "Examples" (docstring of scipy/stats/stats.py, and
    // https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.kendalltau.html):
    // x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0] -> tau = -0.47140452079103173 (variant 'b', ties in both).
    expect(tauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 15);
  });

  it('gives the same value on the fractional ranks of that example, since only order matters', () => {
    // Ranks of x1 (1 lowest): 12,12 -> 4.5; 2,2 -> 2.5; 1 -> 1. Ranks of x2: 0 -> 1; 1,1 -> 2.5; 4 -> 4; 7 -> 5.
    expect(tauB([4.5, 2.5, 1, 4.5, 2.5], [2.5, 4, 5, 2.5, 1])).toBeCloseTo(-0.47140452079103173, 15);
  });

  it('is 1 and -1 for identical and reversed orders, also for K = 2', () => {
    expect(tauB([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(tauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(tauB([1, 2], [2, 1])).toBe(-1);
  });

  it('is null where either side is all one tie (scipy returns NaN), and for fewer than two items', () => {
    expect(tauB([2.5, 2.5, 2.5, 2.5], [1, 2, 3, 4])).toBeNull();
    expect(tauB([1, 2, 3], [2, 2, 2])).toBeNull();
    expect(tauB([1], [1])).toBeNull();
  });

  it('rejects vectors of different lengths', () => {
    expect(() => tauB([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});
