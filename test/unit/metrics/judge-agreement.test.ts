import { describe, expect, it } from 'vitest';
import { judgeFigures } from '../../../server/metrics/judge-agreement.ts';
import { judgeVerdicts } from '../../../server/judges/judge-verdict.ts';

const humans = new Map<number, number[][][]>([
  [1, [[[10], [11], [12]], [[10], [11], [12]]]],
  [2, [[[20], [21], [22]], [[21], [20], [22]]]],
]);

describe('a judge measured against the human consensus', () => {
  it('a judge that orders as every human does has tau-b 1, agreement 1 and, with orders that agree, consistency 1', () => {
    const verdicts = judgeVerdicts([
      { judgeId: 1, promptId: 1, displayIndex: 0, ranking: [[10], [11], [12]] },
      { judgeId: 1, promptId: 1, displayIndex: 1, ranking: [[10], [11], [12]] },
    ]);
    expect(judgeFigures(1, verdicts, humans)).toEqual({ judgeId: 1, tauBVsHumans: 1, pairwiseAgreementVsHumans: 1, positionConsistency: 1, prompts: 1, disagreements: [] });
  });

  it('orders that contradict each other tie everything: consistency 0, no tau-b, agreement one half', () => {
    // Always the first shown on top: as stored 10 > 11 > 12, reversed 12 > 11 > 10.
    const verdicts = judgeVerdicts([
      { judgeId: 2, promptId: 1, displayIndex: 0, ranking: [[10], [11], [12]] },
      { judgeId: 2, promptId: 1, displayIndex: 1, ranking: [[12], [11], [10]] },
    ]);
    expect(verdicts[0]?.ranking).toEqual([[10, 11, 12]]);
    expect(judgeFigures(2, verdicts, humans)).toMatchObject({ tauBVsHumans: null, pairwiseAgreementVsHumans: 0.5, positionConsistency: 0, prompts: 1, disagreements: [] });
  });

  it('averages tau-b over prompts against the mean ranks and lists the worst prompts first', () => {
    // Prompt 2's humans: means 20 = 1.5, 21 = 1.5, 22 = 3. The judge says 22 > 21 > 20.
    // tau-b: pairs (20,21) tied in the consensus only, (20,22) and (21,22) discordant: P=0, Q=2, U=1, T=0 → −2/√(2·3).
    const verdicts = judgeVerdicts([
      { judgeId: 3, promptId: 1, displayIndex: 0, ranking: [[10], [11], [12]] },
      { judgeId: 3, promptId: 2, displayIndex: 0, ranking: [[22], [21], [20]] },
    ]);
    const f = judgeFigures(3, verdicts, humans);
    const tau2 = -2 / Math.sqrt(6);
    expect(f.tauBVsHumans).toBeCloseTo((1 + tau2) / 2, 12);
    expect(f.disagreements).toEqual([{ promptId: 2, tauB: tau2 }]);
    // Prompt 1: 2 humans × 3 pairs all agree (6). Prompt 2: vs each human, 3 pairs; judge 22>21>20 against 20>21>22 → 0,
    // against 21>20>22 → only (20,21) agrees → 1. (6 + 0 + 1) / 12.
    expect(f.pairwiseAgreementVsHumans).toBeCloseTo(7 / 12, 12);
    expect(f.positionConsistency).toBeNull();
    expect(f.prompts).toBe(2);
  });
});
