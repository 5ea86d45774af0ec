import { describe, expect, it } from 'vitest';
import { agreementReport, type RankingRecord } from '../../../server/metrics/agreement-report.ts';

// Prompt "s" carries scipy's kendalltau example (x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0] -> tau-b =
// -0.47140452079103173, https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.kendalltau.html) as two
// labelers' tiers: fractional ranks A = (4.5, 2.5, 1, 4.5, 2.5), B = (2.5, 4, 5, 2.5, 1) over responses r1..r5.
const scipyPrompt: RankingRecord[] = [
  { prompt: 's', labeler: 'A', ranking: [['r3'], ['r2', 'r5'], ['r1', 'r4']] },
  { prompt: 's', labeler: 'B', ranking: [['r5'], ['r1', 'r4'], ['r2'], ['r3']] },
];

describe('agreementReport', () => {
  it('returns the DESIGN.md fields, and reproduces the published tau-b through them', () => {
    const report = agreementReport(scipyPrompt);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['pairwiseAgreement', 'kendallW', 'krippendorffAlpha', 'labelers']));
    expect(Object.keys(report.kendallW)).toEqual(expect.arrayContaining(['mean', 'perPrompt']));
    expect(Object.keys(report.krippendorffAlpha)).toEqual(['ordinal', 'interval']);
    expect(report.labelers.map((l) => l.labeler)).toEqual(['A', 'B']);
    expect(report.labelers[0]!.tauB).toBeCloseTo(-0.47140452079103173, 15);
    expect(report.labelerPairs.meanTauB[0]![1]).toBeCloseTo(-0.47140452079103173, 15);
    // Hand count over the 10 response pairs: 2 same order, 6 opposite, 2 with a tie: (2 + 2·0.5) / 10.
    expect(report.pairwiseAgreement).toBeCloseTo(0.3, 15);
    expect(report.intervals).toBeUndefined();
  });

  it('feeds Krippendorff alpha with (prompt, response) units of fractional ranks', () => {
    // Each response of prompt "s" is a unit with the two labelers' fractional ranks, e.g. r1 -> {4.5, 2.5}.
    // Two perfectly agreeing labelers give α = 1 on either metric; the scipy prompt gives a negative α.
    const same: RankingRecord[] = [
      { prompt: 1, labeler: 1, ranking: [[1], [2, 3], [4]] },
      { prompt: 1, labeler: 2, ranking: [[1], [3, 2], [4]] },
    ];
    expect(agreementReport(same).krippendorffAlpha).toEqual({ ordinal: 1, interval: 1 });
    const alpha = agreementReport(scipyPrompt).krippendorffAlpha;
    expect(alpha.ordinal!).toBeLessThan(0);
    expect(alpha.interval!).toBeLessThan(0);
  });

  it('handles a prompt with one labeler, labelers missing from prompts, K = 2, ties and all-tied rankings', () => {
    const rankings: RankingRecord[] = [
      // p1: three labelers, L3 reversed; W = 12·2 / (9·24) = 1/9; pairwise 3/9.
      { prompt: 'p1', labeler: 'L1', ranking: [['a'], ['b'], ['c']] },
      { prompt: 'p1', labeler: 'L2', ranking: [['a'], ['b'], ['c']] },
      { prompt: 'p1', labeler: 'L3', ranking: [['c'], ['b'], ['a']] },
      // p2: K = 2, L1 ties everything, L2 does not: W = 12·0.5 / (4·6 − 2·6) = 0.5; pairwise 0.5 on 1 case.
      { prompt: 'p2', labeler: 'L1', ranking: [['x', 'y']] },
      { prompt: 'p2', labeler: 'L2', ranking: [['x'], ['y']] },
      // p3: L3 alone: no W, no pairwise case, no leave-one-out tau-b.
      { prompt: 'p3', labeler: 'L3', ranking: [['u'], ['v'], ['w']] },
      // p4: both tie everything: W undefined (null), pairwise 0.5 on 1 case.
      { prompt: 'p4', labeler: 'L1', ranking: [['m', 'n']] },
      { prompt: 'p4', labeler: 'L3', ranking: [['n', 'm']] },
    ];
    const report = agreementReport(rankings);
    expect(report.prompts).toBe(4);
    expect(report.rankings).toBe(8);
    expect(report.kendallW.perPrompt.p1).toBeCloseTo(1 / 9, 15);
    expect(report.kendallW.perPrompt.p2).toBe(0.5);
    expect(report.kendallW.perPrompt.p3).toBeNull();
    expect(report.kendallW.perPrompt.p4).toBeNull();
    expect(report.kendallW.mean).toBeCloseTo((1 / 9 + 0.5) / 2, 15);
    expect(report.kendallW.histogram).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    // (3 + 0.5 + 0.5) / (9 + 1 + 1).
    expect(report.pairwiseAgreement).toBeCloseTo(4 / 11, 15);
    expect(report.labelers.map((l) => [l.labeler, l.rankings, l.tauB])).toEqual([
      ['L1', 3, null],
      ['L2', 2, null],
      ['L3', 3, -1],
    ]);
    const json = JSON.stringify(report);
    expect(json).not.toContain('NaN');
    expect(JSON.parse(json)).toEqual(report);
  });

  it('gives null figures, never NaN, when nothing can be computed', () => {
    const report = agreementReport([{ prompt: 'only', labeler: 'x', ranking: [['a'], ['b']] }]);
    expect(report.pairwiseAgreement).toBeNull();
    expect(report.kendallW.mean).toBeNull();
    expect(report.krippendorffAlpha).toEqual({ ordinal: null, interval: null });
    expect(report.labelers[0]!.tauB).toBeNull();
    expect(agreementReport([]).pairwiseAgreement).toBeNull();
  });

  it('treats 7 and "7" as the same id, as JSON keys would', () => {
    const report = agreementReport([
      { prompt: 7, labeler: 1, ranking: [[1], [2]] },
      { prompt: '7', labeler: '2', ranking: [['2'], ['1']] },
    ]);
    expect(report.prompts).toBe(1);
    expect(report.pairwiseAgreement).toBe(0);
  });

  it('reports position bias beside 1/K, median time and flag rate per labeler', () => {
    const report = agreementReport([
      { prompt: 1, labeler: 'a', ranking: [['r1'], ['r2'], ['r3'], ['r4']], shownFirst: 'r1', durationMs: 4000, flagged: false },
      { prompt: 2, labeler: 'a', ranking: [['r2', 'r1'], ['r3'], ['r4']], shownFirst: 'r1', durationMs: 1000, flagged: true },
      { prompt: 3, labeler: 'a', ranking: [['r1'], ['r2'], ['r3'], ['r4']], shownFirst: 'r4', durationMs: 2000, flagged: false },
    ], { skipped: [{ labeler: 'a', prompt: 4 }] });
    expect(report.labelers[0]).toMatchObject({ positionBias: 2 / 3, expectedPositionBias: 0.25, medianMs: 2000, flagRate: 1 / 3, skipRate: 0.25 });
  });

  it('adds bootstrap intervals over prompts when asked, reproducibly', () => {
    const rankings: RankingRecord[] = [];
    for (let p = 0; p < 30; p++) {
      rankings.push({ prompt: p, labeler: 'a', ranking: [['x'], ['y'], ['z']] });
      rankings.push({ prompt: p, labeler: 'b', ranking: p % 3 === 0 ? [['z'], ['y'], ['x']] : [['x'], ['y', 'z']] });
    }
    const report = agreementReport(rankings, { bootstrap: { resamples: 300, seed: 5 } });
    const again = agreementReport(rankings, { bootstrap: { resamples: 300, seed: 5 } });
    expect(report.intervals).toEqual(again.intervals);
    const { pairwiseAgreement, krippendorffAlpha } = report.intervals!;
    expect(pairwiseAgreement!.low).toBeLessThanOrEqual(report.pairwiseAgreement!);
    expect(pairwiseAgreement!.high).toBeGreaterThanOrEqual(report.pairwiseAgreement!);
    expect(krippendorffAlpha.ordinal!.low).toBeLessThanOrEqual(report.krippendorffAlpha.ordinal!);
    expect(krippendorffAlpha.ordinal!.high).toBeGreaterThanOrEqual(report.krippendorffAlpha.ordinal!);
    expect(krippendorffAlpha.interval!.low).toBeLessThanOrEqual(report.krippendorffAlpha.interval!);
    expect(krippendorffAlpha.interval!.high).toBeGreaterThanOrEqual(report.krippendorffAlpha.interval!);
  });

  it('refuses rankings of one prompt over different responses, and a labeler ranking a prompt twice', () => {
    expect(() => agreementReport([
      { prompt: 1, labeler: 'a', ranking: [['x'], ['y']] },
      { prompt: 1, labeler: 'b', ranking: [['x'], ['z']] },
    ])).toThrow(/other rankings of the prompt lack/);
    expect(() => agreementReport([
      { prompt: 1, labeler: 'a', ranking: [['x'], ['y']] },
      { prompt: 1, labeler: 'b', ranking: [['x']] },
    ])).toThrow(/exactly once/);
    expect(() => agreementReport([
      { prompt: 1, labeler: 'a', ranking: [['x'], ['y']] },
      { prompt: 1, labeler: 'a', ranking: [['y'], ['x']] },
    ])).toThrow(/more than once/);
  });
});
