import { describe, expect, it } from 'vitest';
import { krippendorffAlpha, unitsFromReliabilityData, CoincidenceBuilder } from '../../../server/metrics/krippendorff-alpha.ts';

// Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability". Annenberg School for Communication,
// University of Pennsylvania (https://repository.upenn.edu/asc_papers/43), section C, "Nominal data, any number of
// observers, missing data": 4 observers x 12 units, values 1-5, "." missing. Published: nominal α = 0.743, and on the
// same data (section D) ordinal α = 0.815 and interval α = 0.849. The same matrix is the "C" data of R's
// irr::kripp.alpha / DescTools::KrippAlpha examples and the ordinal test of the Python `krippendorff` package
// (fast-krippendorff tests/test_krippendorff.py: round(alpha, 3) == 0.815).
const krippendorff2011 = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];

// Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders x 15 units with missing values,
// published nominal α = 0.691 and interval α = 0.811 (the Python `krippendorff` package tests the same data to
// six places: 0.691358 and 0.810845).
const wikipedia = [
  [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
  [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
  [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
];

const round3 = (x: number | null) => x?.toFixed(3);

describe('krippendorffAlpha', () => {
  it('reproduces Krippendorff (2011): nominal 0.743, ordinal 0.815, interval 0.849', () => {
    const units = unitsFromReliabilityData(krippendorff2011);
    expect(round3(krippendorffAlpha(units, 'nominal'))).toBe('0.743');
    expect(round3(krippendorffAlpha(units, 'ordinal'))).toBe('0.815');
    expect(round3(krippendorffAlpha(units, 'interval'))).toBe('0.849');
  });

  it('reproduces the Wikipedia computational example: nominal 0.691, interval 0.811', () => {
    const units = unitsFromReliabilityData(wikipedia);
    expect(round3(krippendorffAlpha(units, 'nominal'))).toBe('0.691');
    expect(krippendorffAlpha(units, 'interval')).toBeCloseTo(0.810845, 6);
    expect(krippendorffAlpha(units, 'nominal')).toBeCloseTo(0.691358, 6);
  });

  it('works on fractional values: the 2011 data mapped v -> (v + 1)/2 gives x.5 values and the same ordinal and interval α', () => {
    // Ordinal α depends only on the order of the values, interval α is unchanged by an affine map; fractional ranks
    // (1, 1.5, 2, 2.5, 3) must be treated over their sorted distinct set, not as integer categories.
    const mapped = krippendorff2011.map((row) => row.map((v) => (v === null ? null : (v + 1) / 2)));
    const units = unitsFromReliabilityData(mapped);
    expect(round3(krippendorffAlpha(units, 'ordinal'))).toBe('0.815');
    expect(round3(krippendorffAlpha(units, 'interval'))).toBe('0.849');
  });

  it('is 1 for perfect agreement and null when nothing is pairable or every value is the same', () => {
    expect(krippendorffAlpha([[1, 1], [2, 2], [3, 3]], 'interval')).toBe(1);
    expect(krippendorffAlpha([[1, 1], [2, 2], [3, 3]], 'ordinal')).toBe(1);
    expect(krippendorffAlpha([[1], [2]], 'ordinal')).toBeNull();
    expect(krippendorffAlpha([[2, 2, 2], [2, 2]], 'interval')).toBeNull();
  });

  it('keeps its coincidence matrix right when more distinct values arrive than it first had room for', () => {
    const builder = new CoincidenceBuilder();
    for (let v = 0; v < 20; v++) builder.addUnit([v, v]);
    builder.addUnit([0, 19]);
    const { values, o } = builder.matrix();
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(o[0]).toBe(2);
    expect(o[19]).toBe(1);
    expect(o[19 * 20]).toBe(1);
  });
});
