import type { z } from 'zod';
import type { bootstrapIntervalSchema } from '../../shared/agreement.ts';
/** A percentile bootstrap interval: the `level` central share of the resampled statistics. */
export type BootstrapInterval = z.infer<typeof bootstrapIntervalSchema>;

export type BootstrapOptions = { resamples: number; seed?: number; level?: number };

/** mulberry32: a small seeded PRNG with uniform output in [0, 1), so intervals are reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-th percentile (0–100) of ascending values, linearly interpolated between order statistics (numpy's default). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('percentile of no values');
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/** Fills `weights` with one resample's multiplicities: as many draws with replacement as there are groups. */
export function drawResample(random: () => number, weights: Float64Array): void {
  const groups = weights.length;
  weights.fill(0);
  for (let i = 0; i < groups; i++) weights[Math.floor(random() * groups)]! += 1;
}

/**
 * Percentile bootstrap CI over groups (prompts): each resample draws `groups` groups with replacement, passed to
 * `statistic` as a multiplicity per group; resamples where the statistic is undefined (null) are dropped.
 * Null when no resample gave a value.
 */
export function bootstrapInterval(
  groups: number,
  statistic: (weights: Float64Array) => number | null,
  options: BootstrapOptions,
): BootstrapInterval | null {
  const level = options.level ?? 0.95;
  if (groups === 0 || options.resamples <= 0) return null;
  const random = seededRandom(options.seed ?? 1);
  const weights = new Float64Array(groups);
  const results: number[] = [];
  for (let b = 0; b < options.resamples; b++) {
    drawResample(random, weights);
    const value = statistic(weights);
    if (value !== null && Number.isFinite(value)) results.push(value);
  }
  if (results.length === 0) return null;
  const sorted = Float64Array.from(results).sort();
  const tail = ((1 - level) / 2) * 100;
  return { low: percentile(sorted, tail), high: percentile(sorted, 100 - tail), level, resamples: results.length };
}
