import { describe, expect, it } from 'vitest';
import { LabelerActivity, labelerQuality, median } from '../../../server/metrics/labeler-quality.ts';

describe('labelerQuality', () => {
  it('with two labelers, the leave-one-out consensus is the other labeler: the scipy kendalltau example', () => {
    // SciPy reference, scipy.stats.kendalltau, "Examples": x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0]
    // -> tau = -0.47140452079103173. Here as fractional ranks of two labelers on one prompt of 5 responses.
    const q = labelerQuality([{ labelers: [0, 1], ranks: [[4.5, 2.5, 1, 4.5, 2.5], [2.5, 4, 5, 2.5, 1]] }], 2);
    expect(q.labelers[0]!.tauB).toBeCloseTo(-0.47140452079103173, 15);
    expect(q.labelers[1]!.tauB).toBeCloseTo(-0.47140452079103173, 15);
    expect(q.pairs.meanTauB[0]![1]).toBeCloseTo(-0.47140452079103173, 15);
    expect(q.pairs.meanTauB[1]![0]).toBeCloseTo(-0.47140452079103173, 15);
    expect(q.pairs.meanTauB[0]![0]).toBeNull();
  });

  it('leaves out prompts where the consensus is all one tie, or where nobody else ranked', () => {
    // Prompt A: L0 = L1 = (1,2,3), L2 = (3,2,1). Consensus without L0 is mean(L1, L2) = (2,2,2): all one tie, left out.
    // Same for L1. Without L2: (1,2,3), against (3,2,1): tau = -1.
    // Prompt B: L0 alone: no other labeler, left out (but it still counts as a ranking).
    const q = labelerQuality(
      [
        { labelers: [0, 1, 2], ranks: [[1, 2, 3], [1, 2, 3], [3, 2, 1]] },
        { labelers: [0], ranks: [[1, 2, 3]] },
      ],
      3,
    );
    expect(q.labelers.map((l) => l.rankings)).toEqual([2, 1, 1]);
    expect(q.labelers.map((l) => l.tauB)).toEqual([null, null, -1]);
    expect(q.labelers.map((l) => l.tauBPrompts)).toEqual([0, 0, 1]);
    expect(q.pairs.meanTauB).toEqual([
      [null, 1, -1],
      [1, null, -1],
      [-1, -1, null],
    ]);
  });

  it('averages pair tau-b over the prompts both labelers ranked, skipping all-tied rankings', () => {
    // Prompt 1: tau(L0, L1) = 1. Prompt 2: reversed, -1. Prompt 3: L1 ties all (K = 2), no tau. Mean = 0 over 2 prompts.
    const q = labelerQuality(
      [
        { labelers: [0, 1], ranks: [[1, 2, 3], [1, 2, 3]] },
        { labelers: [1, 0], ranks: [[1, 2], [2, 1]] },
        { labelers: [0, 1], ranks: [[1, 2], [1.5, 1.5]] },
      ],
      2,
    );
    expect(q.pairs.meanTauB[0]![1]).toBe(0);
    expect(q.pairs.prompts[0]![1]).toBe(2);
    expect(q.labelers[0]!.tauB).toBe(0);
  });

  it('reports median time, flag rate, skip rate and position bias beside 1/K from the optional activity', () => {
    const activity = new LabelerActivity();
    activity.record(0, 4, 1000, false, true);
    activity.record(0, 4, 3000, true, false);
    activity.record(0, 2, 2000, undefined, true);
    activity.recordSkip(0);
    activity.record(1, 4, undefined, undefined, undefined);
    const q = labelerQuality([{ labelers: [0, 1], ranks: [[1, 2], [2, 1]] }], 2, activity);
    expect(q.labelers[0]).toMatchObject({ medianMs: 2000, flagRate: 0.5, positionBias: 2 / 3, skipRate: 0.5 });
    // (1/4 + 1/4 + 1/2) / 3 rankings where the first-shown response is known.
    expect(q.labelers[0]!.expectedPositionBias).toBeCloseTo(1 / 3, 15);
    expect(q.labelers[1]).toMatchObject({ medianMs: null, flagRate: null, positionBias: null, expectedPositionBias: null, skipRate: 0 });
  });

  it('tests position bias against the real chance when the top tier holds a tie', () => {
    // K = 4, every ranking ties its top two: a labeler who ignores the order has the shown-first response on top half
    // the time. 25 of 50 is then no sign of bias: P(X ≥ 25 | n = 50, p = 1/2) = 1/2 + C(50, 25) / 2^51 = 0.55614.
    const tying = new LabelerActivity();
    for (let i = 0; i < 50; i++) tying.record(0, 4, undefined, undefined, i % 2 === 0, 2);
    const q = labelerQuality([], 1, tying);
    expect(q.labelers[0]).toMatchObject({ positionBias: 0.5, expectedPositionBias: 0.25 });
    expect(q.labelers[0]!.positionBiasP).toBeCloseTo(0.5561375863296085, 10);
    // Without ties the same 25 of 50 against 1/4 is far from chance: scipy.stats.binomtest(25, 50, 0.25, 'greater').
    const single = new LabelerActivity();
    for (let i = 0; i < 50; i++) single.record(0, 4, undefined, undefined, i % 2 === 0);
    expect(labelerQuality([], 1, single).labelers[0]!.positionBiasP).toBeLessThan(0.001);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
