import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../../server/metrics/binomial-tail.ts';

describe('binomialUpperTail', () => {
  it('matches SciPy\'s binomtest example: 3 unsafe cars of 15 against a claimed 10%', () => {
    // scipy.stats.binomtest docs, "Examples": binomtest(3, n=15, p=0.1, alternative='greater').pvalue
    expect(binomialUpperTail(15, 3, 0.1)).toBeCloseTo(0.18406106910639114, 14);
  });

  it('matches textbook values: 8+ heads in 10 fair tosses is 56/1024; the n = 20, p = 0.25 table row', () => {
    expect(binomialUpperTail(10, 8, 0.5)).toBeCloseTo(56 / 1024, 15);
    // Cumulative binomial table, n = 20, p = 0.25: P(X ≤ 6) = 0.7858, so P(X ≥ 7) = 0.2142.
    expect(binomialUpperTail(20, 7, 0.25)).toBeCloseTo(0.2142, 4);
  });

  it('stays accurate for many trials: P(X ≥ 500) of 1000 fair tosses is 1/2 + C(1000, 500) / 2^1001', () => {
    // C(1000, 500) / 2^1000 = 0.0252250181783608 (the central binomial probability).
    expect(binomialUpperTail(1000, 500, 0.5)).toBeCloseTo(0.5 + 0.0252250181783608 / 2, 11);
    expect(binomialUpperTail(2_000_000, 1_010_000, 0.5)).toBeLessThan(1e-40);
    expect(binomialUpperTail(2_000_000, 990_000, 0.5)).toBeCloseTo(1, 12);
  });

  it('covers the edges: nothing asked is certain, more than n is impossible', () => {
    expect(binomialUpperTail(5, 0, 0.3)).toBe(1);
    expect(binomialUpperTail(5, 6, 0.3)).toBe(0);
    expect(binomialUpperTail(5, 5, 0.25)).toBeCloseTo(0.25 ** 5, 15);
    expect(binomialUpperTail(5, 1, 0)).toBe(0);
    expect(binomialUpperTail(5, 5, 1)).toBe(1);
  });
});
