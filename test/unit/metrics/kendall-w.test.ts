import { describe, expect, it } from 'vitest';
import { kendallW, tieCorrection } from '../../../server/metrics/kendall-w.ts';

describe('kendallW', () => {
  it('reproduces the NAG G08DAF example, which has ties and applies the tie correction', () => {
    // NAG Library Manual, routine G08DAF (nagf_nonpar_concordance_kendall), "Example Program Results"
    // (https://support.nag.com/numeric/nl/nagdoc_27.1/examples/baseresults/g08dafe.r.html):
    // 3 comparisons x 10 objects, already ranked with mid-ranks for ties -> "Kendall's coefficient = 0.828".
    // By hand: rank sums 5.5 6.5 9 13.5 12 20 23 23.5 25.5 26.5, S = 591, ΣT = 12 + 18 + 84 = 114,
    // W = 12·591 / (3²·990 − 3·114) = 7092 / 8568 = 0.82773.
    const ranks = [
      [1.0, 4.5, 2.0, 4.5, 3.0, 7.5, 6.0, 9.0, 7.5, 10.0],
      [2.5, 1.0, 2.5, 4.5, 4.5, 8.0, 9.0, 6.5, 10.0, 6.5],
      [2.0, 1.0, 4.5, 4.5, 4.5, 4.5, 8.0, 8.0, 8.0, 10.0],
    ];
    expect(kendallW(ranks)!.toFixed(3)).toBe('0.828');
    expect(kendallW(ranks)).toBeCloseTo(7092 / 8568, 12);
  });

  it('reproduces the scipy.stats.friedmanchisquare documented example, which has no ties', () => {
    // SciPy reference, scipy.stats.friedmanchisquare, "Examples"
    // (https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.friedmanchisquare.html), pulse rates of 7
    // students before, immediately after and 5 minutes after exercise (from Sprent & Smeeton): statistic = 10.57142857142857.
    // Kendall's W is the Friedman statistic over m(n − 1): each student is a "rater" ranking the 3 occasions.
    const before = [72, 96, 88, 92, 74, 76, 82];
    const after = [120, 120, 132, 120, 101, 96, 112];
    const fiveMin = [76, 95, 104, 96, 84, 72, 76];
    // No student ties two occasions, so plain ranks within each student are the fractional ranks.
    const ranks = before.map((b, i) => {
      const row = [b, after[i]!, fiveMin[i]!];
      return row.map((v) => 1 + row.filter((u) => u < v).length);
    });
    expect(ranks[0]).toEqual([1, 3, 2]);
    const m = 7;
    const n = 3;
    expect(kendallW(ranks)).toBeCloseTo(10.57142857142857 / (m * (n - 1)), 14);
  });

  it('is 1 for unanimous raters and 0 for two opposite ones', () => {
    expect(kendallW([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]])).toBe(1);
    expect(kendallW([[1, 2, 3], [3, 2, 1]])).toBe(0);
  });

  it('handles K = 2 with a tie: 12·0.5 / (2²·6 − 2·6) = 0.5', () => {
    expect(kendallW([[1.5, 1.5], [1, 2]])).toBe(0.5);
  });

  it('is null with one rater, one item, or when every rater ties everything', () => {
    expect(kendallW([[1, 2, 3]])).toBeNull();
    expect(kendallW([[1], [1]])).toBeNull();
    expect(kendallW([[2, 2, 2], [2, 2, 2]])).toBeNull();
  });

  it('counts tie groups as Σ(t³ − t), by counting for short rows and by sorting for long ones', () => {
    expect(tieCorrection([2, 2, 2, 2, 4.5, 4.5])).toBe(60 + 6);
    const long = Array.from({ length: 40 }, (_, i) => (i < 3 ? 2 : i + 1));
    expect(tieCorrection(long)).toBe(24);
  });
});
