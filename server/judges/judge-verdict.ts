import type { Ranking } from '../../shared/ranking.ts';
import { consensusOrder } from '../ranking/consensus.ts';
import { meanRanks } from '../ranking/mean-ranks.ts';

/** One judge ranking of one prompt in one display order, as the judge rankings table holds it. */
export type JudgeOrderRow = { judgeId: number; promptId: number; displayIndex: number; ranking: Ranking<number> };

/** A judge's one ranking of a prompt: the consensus of its display orders, so the two orders count once, like one labeler. */
export type JudgeVerdict = { judgeId: number; promptId: number; ranking: Ranking<number>; orders: Ranking<number>[] };

/**
 * Groups the rows (ordered by prompt, judge, order, as the store reads them) into one verdict per judge and prompt:
 * the orders' mean ranks as tiers, so where the two orders disagree the judge ties the responses.
 */
export function judgeVerdicts(rows: readonly JudgeOrderRow[]): JudgeVerdict[] {
  const out: JudgeVerdict[] = [];
  let current: JudgeVerdict | null = null;
  for (const row of rows) {
    if (!current || current.judgeId !== row.judgeId || current.promptId !== row.promptId) {
      current = { judgeId: row.judgeId, promptId: row.promptId, ranking: [], orders: [] };
      out.push(current);
    }
    current.orders.push(row.ranking);
  }
  for (const v of out) v.ranking = v.orders.length === 1 ? (v.orders[0] ?? []) : consensusOrder(meanRanks(v.orders));
  return out;
}
