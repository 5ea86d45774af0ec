import type { Id, Ranking } from '../../shared/ranking.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';
import { meanRanks } from '../ranking/mean-ranks.ts';
import type { JudgeVerdict } from '../judges/judge-verdict.ts';
import { pairwiseCounts } from './pairwise-agreement.ts';
import { tauB } from './tau-b.ts';

/** A judge's figures against the humans (docs/metrics.md, "Judges"), before the route adds names and external ids. */
export type JudgeFigures = {
  judgeId: number;
  tauBVsHumans: number | null;
  pairwiseAgreementVsHumans: number | null;
  positionConsistency: number | null;
  prompts: number;
  disagreements: { promptId: number; tauB: number }[];
};

/** The prompts shown as "where it disagrees most": the lowest tau-b first, and never one where it agrees fully. */
export const maxDisagreements = 10;

/** Ranks of `ids` in one ranking's fractional ranks (or means), as a row the pure metrics take. */
const row = (ranks: ReadonlyMap<Id, number>, ids: readonly Id[]): number[] => ids.map((id) => ranks.get(id) ?? Number.NaN);

/**
 * A judge measured as a labeler is, with the existing metrics: per prompt, tau-b between its verdict and the humans'
 * mean ranks (the consensus), averaged over the prompts where both sides have an order (tau-b not null); pairwise
 * agreement between its verdict and each counted human ranking (a tie on either side counts half); and position
 * consistency, the pairwise agreement between its two display orders of each prompt it ranked in both.
 */
export function judgeFigures(judgeId: number, verdicts: readonly JudgeVerdict[], humans: ReadonlyMap<Id, readonly Ranking[]>): JudgeFigures {
  let tauSum = 0;
  let tauCount = 0;
  let prompts = 0;
  let score = 0;
  let cases = 0;
  let orderScore = 0;
  let orderCases = 0;
  const perPrompt: { promptId: number; tauB: number }[] = [];
  for (const v of verdicts) {
    if (v.judgeId !== judgeId) continue;
    const mine = fractionalRanks(v.ranking);
    const ids = [...mine.keys()];
    if (v.orders.length === 2) {
      const [first, second] = v.orders;
      const c = pairwiseCounts([row(fractionalRanks(first ?? []), ids), row(fractionalRanks(second ?? []), ids)]);
      orderScore += c.score;
      orderCases += c.cases;
    }
    const human = humans.get(v.promptId) ?? humans.get(String(v.promptId));
    if (!human || human.length === 0) continue;
    prompts++;
    const judgeRow = row(mine, ids);
    const tau = tauB(judgeRow, row(meanRanks(human), ids));
    if (tau !== null) {
      tauSum += tau;
      tauCount++;
      perPrompt.push({ promptId: v.promptId, tauB: tau });
    }
    for (const h of human) {
      const c = pairwiseCounts([judgeRow, row(fractionalRanks(h), ids)]);
      score += c.score;
      cases += c.cases;
    }
  }
  perPrompt.sort((a, b) => a.tauB - b.tauB || a.promptId - b.promptId);
  return {
    judgeId,
    tauBVsHumans: tauCount > 0 ? tauSum / tauCount : null,
    pairwiseAgreementVsHumans: cases > 0 ? score / cases : null,
    positionConsistency: orderCases > 0 ? orderScore / orderCases : null,
    prompts,
    disagreements: perPrompt.filter((p) => p.tauB < 1).slice(0, maxDisagreements),
  };
}
