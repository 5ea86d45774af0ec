import { describe, expect, it } from 'vitest';
import { combinedLabelerRanking, combinedMeanRanks } from '../../../server/ranking/combined-ranks.ts';
import { meanRanksUnder, rankingUnder, selectCriterion, type CriterionSelection, type StoredRanking } from '../../../server/ranking/criterion-selection.ts';
import { meanRanks } from '../../../server/ranking/mean-ranks.ts';
import { consensusOrder } from '../../../server/ranking/consensus.ts';
import { pairsForPrompt, type PromptPair } from '../../../server/ranking/pairs.ts';
import { agreementReport } from '../../../server/metrics/agreement-report.ts';
import type { Criterion } from '../../../shared/criteria.ts';
import type { Ranking } from '../../../shared/ranking.ts';

/*
 * A hand-worked two-criterion example (responses a, b, c; weights helpfulness 1, harmlessness 2):
 *   ana  helpfulness a>b>c  (a 1, b 2, c 3)    harmlessness c>a>b  (c 1, a 2, b 3)
 *   ben  helpfulness b>a>c  (b 1, a 2, c 3)    harmlessness c>a=b  (c 1, a 2.5, b 2.5)
 * Per criterion, mean ranks:
 *   helpfulness  a (1+2)/2 = 1.5, b (2+1)/2 = 1.5, c 3          → consensus [a b] > c, a and b tied
 *   harmlessness a (2+2.5)/2 = 2.25, b (3+2.5)/2 = 2.75, c 1    → consensus c > a > b
 * Combined, (1·helpfulness + 2·harmlessness) / 3:
 *   a (1.5 + 4.5)/3 = 2, b (1.5 + 5.5)/3 = 7/3, c (3 + 2)/3 = 5/3 → consensus c > a > b
 * Each labeler's weighted mean fractional rank (the votes under combined):
 *   ana a (1 + 4)/3 = 5/3, b (2 + 6)/3 = 8/3, c (3 + 2)/3 = 5/3  → her combined order [a c] > b
 *   ben a (2 + 5)/3 = 7/3, b (1 + 5)/3 = 2,   c (3 + 2)/3 = 5/3  → his combined order c > b > a
 *   their means a (5/3 + 7/3)/2 = 2, b (8/3 + 2)/2 = 7/3, c 5/3: the combined means above.
 * Pairs under combined, by combined mean c 5/3 < a 2 < b 7/3:
 *   c over a: margin 1/3; ana tied (5/3 = 5/3), ben for → votes 1/0/1, agreement (1 + 1/2)/2 = 3/4
 *   c over b: margin 2/3; ana for, ben for                → 2/0/0, agreement 1
 *   a over b: margin 1/3; ana for (5/3 < 8/3), ben against (7/3 > 2) → 1/1/0, agreement 1/2
 * Pairwise agreement of the two labelers (one labeler pair, three response pairs, a tie counting half):
 *   helpfulness  (a,b) opposite 0, (a,c) 1, (b,c) 1           → 2/3
 *   harmlessness (a,b) ben tied 1/2, (a,c) 1, (b,c) 1         → 5/6
 */
const criteria: Criterion[] = [
  { key: 'helpfulness', name: 'Helpfulness', description: '', weight: 1 },
  { key: 'harmlessness', name: 'Harmlessness', description: '', weight: 2 },
];
const [a, b, c] = [1, 2, 3];
const ana: StoredRanking = { ranking: [[a], [b], [c]], criteria: { helpfulness: [[a], [b], [c]], harmlessness: [[c], [a], [b]] } };
const ben: StoredRanking = { ranking: [[b], [a], [c]], criteria: { helpfulness: [[b], [a], [c]], harmlessness: [[c], [a, b]] } };

const pick = (query?: string): CriterionSelection => {
  const picked = selectCriterion(criteria, query);
  if (!picked.ok) throw new Error(picked.message);
  return picked.selection;
};
const byId = (m: Map<number, number>) => Object.fromEntries([...m].map(([id, x]) => [['', 'a', 'b', 'c'][id], x]));

describe('mean ranks per criterion and combined', () => {
  it('each criterion has its own mean ranks and consensus', () => {
    const helpful = meanRanksUnder([ana, ben], pick('helpfulness'));
    expect(byId(helpful)).toEqual({ a: 1.5, b: 1.5, c: 3 });
    expect(consensusOrder(helpful)).toEqual([[a, b], [c]]);
    const harmless = meanRanksUnder([ana, ben], pick('harmlessness'));
    expect(byId(harmless)).toEqual({ a: 2.25, b: 2.75, c: 1 });
    expect(consensusOrder(harmless)).toEqual([[c], [a], [b]]);
    // No criterion named: the first.
    expect(meanRanksUnder([ana, ben], pick())).toEqual(helpful);
  });

  it('combined is the weighted mean of the per-criterion mean ranks', () => {
    const means = combinedMeanRanks([meanRanks([ana.ranking, ben.ranking]), meanRanks([[[c], [a], [b]], [[c], [a, b]]])], [1, 2]);
    expect(means.get(a)).toBeCloseTo(2, 12);
    expect(means.get(b)).toBeCloseTo(7 / 3, 12);
    expect(means.get(c)).toBeCloseTo(5 / 3, 12);
    expect(consensusOrder(means)).toEqual([[c], [a], [b]]);
    expect(meanRanksUnder([ana, ben], pick('combined'))).toEqual(means);
  });

  it("a labeler's combined order is by their weighted mean fractional rank", () => {
    const anaCombined = combinedLabelerRanking([[[a], [b], [c]], [[c], [a], [b]]] as Ranking<number>[], [1, 2]);
    expect(anaCombined.ranking).toEqual([[a, c], [b]]);
    expect(anaCombined.ranks.get(b)).toBeCloseTo(8 / 3, 12);
    expect(rankingUnder(ben, pick('combined')).ranking).toEqual([[c], [b], [a]]);
  });

  it('pairs under combined take the combined means for margins and each labeler\'s weighted mean for votes', () => {
    const combined = pick('combined');
    const pairs = pairsForPrompt({ responses: [{ id: a }, { id: b }, { id: c }], rankings: [ana, ben].map((r) => rankingUnder(r, combined)) });
    expect(pairs.map((p) => [p.chosen, p.rejected])).toEqual([[c, a], [c, b], [a, b]]);
    const [ca, cb, ab] = pairs as [PromptPair, PromptPair, PromptPair];
    expect(ca.margin).toBeCloseTo(1 / 3, 12);
    expect(ca.votes).toEqual({ for: 1, against: 0, tied: 1 });
    expect(ca.agreement).toBeCloseTo(3 / 4, 12);
    expect(ca.chosenMeanRank).toBeCloseTo(5 / 3, 12);
    expect(ca.rejectedMeanRank).toBeCloseTo(2, 12);
    expect(cb.margin).toBeCloseTo(2 / 3, 12);
    expect(cb.votes).toEqual({ for: 2, against: 0, tied: 0 });
    expect(ab.margin).toBeCloseTo(1 / 3, 12);
    expect(ab.votes).toEqual({ for: 1, against: 1, tied: 0 });
    expect(ab.agreement).toBeCloseTo(1 / 2, 12);
  });

  it('pairwise agreement per criterion, from the same report', () => {
    const records = (query: string) => [ana, ben].map((r, l) => ({ prompt: 'q', labeler: l, ranking: rankingUnder(r, pick(query)).ranking }));
    expect(agreementReport(records('helpfulness')).pairwiseAgreement).toBeCloseTo(2 / 3, 12);
    expect(agreementReport(records('harmlessness')).pairwiseAgreement).toBeCloseTo(5 / 6, 12);
  });

  it('an unknown criterion names the known keys', () => {
    const picked = selectCriterion(criteria, 'honesty');
    expect(picked.ok).toBe(false);
    if (!picked.ok) expect(picked.message).toBe('unknown criterion "honesty": this project\'s criteria are "helpfulness", "harmlessness", or "combined"');
  });
});
