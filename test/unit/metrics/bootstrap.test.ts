import { describe, expect, it } from 'vitest';
import { bootstrapInterval, percentile, seededRandom } from '../../../server/metrics/bootstrap.ts';

describe('percentile', () => {
  it('reproduces the numpy.percentile documented example (linear interpolation)', () => {
    // NumPy reference, numpy.percentile, "Examples" (https://numpy.org/doc/stable/reference/generated/numpy.percentile.html):
    // a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) -> 3.5; np.percentile(a, 50, axis=0) -> [6.5, 4.5, 2.5].
    expect(percentile([1, 2, 3, 4, 7, 10], 50)).toBe(3.5);
    expect([percentile([3, 10], 50), percentile([2, 7], 50), percentile([1, 4], 50)]).toEqual([6.5, 4.5, 2.5]);
    expect(percentile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5], 2.5)).toBeCloseTo(1.1, 12);
  });
});

describe('bootstrapInterval', () => {
  const values = [0.2, 0.9, 0.5, 0.7, 0.4, 0.6, 0.8, 0.3];
  const mean = (w: Float64Array) => {
    let s = 0;
    let c = 0;
    w.forEach((x, i) => {
      s += x * values[i]!;
      c += x;
    });
    return s / c;
  };

  it('is deterministic for a seed and changes with it', () => {
    const a = bootstrapInterval(values.length, mean, { resamples: 500, seed: 7 });
    const b = bootstrapInterval(values.length, mean, { resamples: 500, seed: 7 });
    const c = bootstrapInterval(values.length, mean, { resamples: 500, seed: 8 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('brackets the estimate inside the range of the data at the 95% level', () => {
    const ci = bootstrapInterval(values.length, mean, { resamples: 2000, seed: 1 })!;
    expect(ci.level).toBe(0.95);
    expect(ci.resamples).toBe(2000);
    expect(ci.low).toBeLessThan(0.55);
    expect(ci.high).toBeGreaterThan(0.55);
    expect(ci.low).toBeGreaterThan(0.2);
    expect(ci.high).toBeLessThan(0.9);
  });

  it('resamples every group once per draw on average and drops resamples with no value', () => {
    const ci = bootstrapInterval(4, (w) => (w[0]! > 0 ? 1 : null), { resamples: 200, seed: 3 })!;
    // P(group 0 never drawn in 4 draws) = (3/4)^4 ≈ 0.32, so roughly 136 of 200 resamples keep a value.
    expect(ci.resamples).toBeGreaterThan(100);
    expect(ci.resamples).toBeLessThan(170);
    expect(ci).toMatchObject({ low: 1, high: 1 });
  });

  it('is null with no groups or no resamples', () => {
    expect(bootstrapInterval(0, () => 1, { resamples: 10 })).toBeNull();
    expect(bootstrapInterval(3, () => 1, { resamples: 0 })).toBeNull();
    expect(bootstrapInterval(3, () => null, { resamples: 10 })).toBeNull();
  });

  it('draws uniform numbers in [0, 1)', () => {
    const random = seededRandom(42);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });
});
