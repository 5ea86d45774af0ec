import { describe, expect, it } from 'vitest';
import { labelerWarnings } from '../../../client/src/features/agreement/labeler-warnings.ts';

type Extra = Partial<{ medianMs: number | null; positionBias: number | null; expectedPositionBias: number | null; positionBiasP: number | null }>;
const labeler = (labeler: number, tauB: number | null, extra: Extra = {}) => ({
  labeler,
  tauB,
  medianMs: 30_000,
  positionBias: 0.25,
  expectedPositionBias: 0.25,
  positionBiasP: 0.5,
  ...extra,
});

describe('labelerWarnings', () => {
  it('marks a tau-b more than 0.3 below the median, and any negative tau-b', () => {
    // median of 0.7, 0.65, 0.6, 0.25 = 0.625; 0.25 < 0.325 is marked, 0.6 is not.
    const marks = labelerWarnings([labeler(1, 0.7), labeler(2, 0.65), labeler(3, 0.6), labeler(4, 0.25)]);
    expect(marks.get('4')?.map((m) => m.kind)).toEqual(['agreement']);
    expect(marks.get('3')).toEqual([]);
    const negative = labelerWarnings([labeler(1, -0.05), labeler(2, -0.1)]);
    expect(negative.get('1')?.[0]?.text).toContain('against the consensus');
  });

  it('marks position bias at twice chance (2/K) when chance would rarely do it (p < 0.01), and a median under 5 s; unknown figures mark nothing', () => {
    const marks = labelerWarnings([
      labeler(1, 0.5, { positionBias: 0.5, expectedPositionBias: 0.25, positionBiasP: 0.004 }),
      labeler(2, 0.5, { positionBias: 0.49, expectedPositionBias: 0.25, positionBiasP: 0.001 }),
      labeler(3, 0.5, { medianMs: 4_999 }),
      labeler(4, null, { medianMs: null, positionBias: null, expectedPositionBias: null }),
    ]);
    expect(marks.get('1')?.map((m) => m.kind)).toEqual(['position']);
    expect(marks.get('2')).toEqual([]);
    expect(marks.get('3')?.map((m) => m.kind)).toEqual(['speed']);
    expect(marks.get('4')).toEqual([]);
    expect(marks.get('1')?.[0]?.text).toContain('p = 0.004');
  });

  it('does not mark a labeler whose few rankings put the first response on top by luck', () => {
    // Three of three on top with K = 4: 100% against 25% chance, but p = 0.25^3 = 0.016.
    const marks = labelerWarnings([labeler(1, 0.5, { positionBias: 1, expectedPositionBias: 0.25, positionBiasP: 0.25 ** 3 })]);
    expect(marks.get('1')).toEqual([]);
  });
});
