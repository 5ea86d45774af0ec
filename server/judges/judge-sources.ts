import type { Id, Ranking } from '../../shared/ranking.ts';
import type { Criterion } from '../../shared/criteria.ts';
import { judgeLabeler, type RankingSource } from '../../shared/sources.ts';
import { rankingUnder, type CriterionSelection, type StoredRanking } from '../ranking/criterion-selection.ts';
import { judgeVerdicts, type JudgeOrderRow, type JudgeVerdict } from './judge-verdict.ts';
import { combinedLabelerRanking } from '../ranking/combined-ranks.ts';

/** The criteria whose judge rankings a read under `selection` needs: the selected one, or every one for combined. */
export function judgedCriteria(selection: CriterionSelection, criteria: readonly Pick<Criterion, 'key'>[]): string[] {
  return selection.weights === undefined ? [selection.key] : criteria.map((c) => c.key);
}

/** A judge's verdict on a prompt as a stored ranking (every criterion read), with each criterion's display orders. */
export type JudgeStoredRanking = StoredRanking & { judgeId: number; promptId: number; labeler: string; orders: Record<string, Ranking<number>[]> };

/**
 * Each judge's verdict per prompt and criterion (judgeVerdicts: the consensus of its display orders), gathered into one
 * stored ranking per judge and prompt, shaped like a labeler's: `ranking` the first criterion's tiers (or the only
 * criterion read), `criteria` every criterion read (null on a one-criterion project). So tiersOf, rankingUnder and meanRanksUnder read a judge
 * exactly as they read a labeler, and combined combines the judge's per-criterion orders the same way.
 */
export function judgeStoredRankings(perCriterion: readonly { key: string; rows: readonly JudgeOrderRow[] }[], projectCriteria: readonly Pick<Criterion, 'key'>[]): JudgeStoredRanking[] {
  const byJudgePrompt = new Map<string, JudgeStoredRanking>();
  const firstKey = projectCriteria[0]?.key;
  const onlyKey = perCriterion.length === 1 ? perCriterion[0]?.key : undefined;
  // As a labeler's row: a one-criterion project keeps its tiers in `ranking` alone (criteria null).
  const several = projectCriteria.length > 1;
  for (const { key, rows } of perCriterion) {
    for (const v of judgeVerdicts(rows)) {
      const id = `${v.promptId}:${v.judgeId}`;
      let stored = byJudgePrompt.get(id);
      if (!stored) {
        stored = { judgeId: v.judgeId, promptId: v.promptId, labeler: judgeLabeler(v.judgeId), ranking: [], criteria: several ? {} : null, orders: {} };
        byJudgePrompt.set(id, stored);
      }
      if (key === firstKey || key === onlyKey) stored.ranking = v.ranking;
      if (stored.criteria) stored.criteria[key] = v.ranking;
      stored.orders[key] = v.orders;
    }
  }
  return [...byJudgePrompt.values()].sort((a, b) => a.promptId - b.promptId || a.judgeId - b.judgeId);
}

/** judgeStoredRankings by prompt: what results, export and the leaderboard add for `judge`. */
export function judgeRankingsByPrompt(rankings: readonly JudgeStoredRanking[]): Map<number, JudgeStoredRanking[]> {
  const out = new Map<number, JudgeStoredRanking[]>();
  for (const r of rankings) {
    let list = out.get(r.promptId);
    if (!list) {
      list = [];
      out.set(r.promptId, list);
    }
    list.push(r);
  }
  return out;
}

/** Which sources a prompt's rankings came from, in canonical order: a pair's provenance says so. */
export function sourcesOf(rankings: readonly { labeler: Id }[]): RankingSource[] {
  let human = false;
  let judge = false;
  for (const r of rankings) {
    if (typeof r.labeler === 'string' && r.labeler.startsWith('judge:')) judge = true;
    else human = true;
  }
  return [...(human ? (['human'] as const) : []), ...(judge ? (['judge'] as const) : [])];
}

/**
 * A judge's display orders under the selection: the criterion's orders, or under combined each display order's
 * combined order over the criteria (combinedLabelerRanking, as for the verdict itself).
 */
export function judgeOrdersUnder(judge: Pick<JudgeStoredRanking, 'orders'>, selection: CriterionSelection): Ranking<number>[] {
  if (selection.weights === undefined) return judge.orders[selection.key] ?? [];
  const { criteria, weights } = selection;
  const count = Math.max(0, ...criteria.map((c) => judge.orders[c.key]?.length ?? 0));
  return Array.from({ length: count }, (_, i) => combinedLabelerRanking(criteria.map((c) => judge.orders[c.key]?.[i] ?? []), weights).ranking);
}

/** The judges' verdicts under the selection, in the shape the judge figures take (server/metrics/judge-agreement.ts). */
export function judgeVerdictsUnder(rankings: readonly JudgeStoredRanking[], selection: CriterionSelection): JudgeVerdict[] {
  return rankings.map((r) => ({ judgeId: r.judgeId, promptId: r.promptId, ranking: rankingUnder(r, selection).ranking, orders: judgeOrdersUnder(r, selection) }));
}
