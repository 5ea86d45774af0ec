import type { Id, Ranking } from '../../shared/ranking.ts';
import type { Project } from '../../shared/projects.ts';
import { judgeLabeler, type RankingSource } from '../../shared/sources.ts';
import type { JudgeRankingRow } from '../store/judges.ts';
import { judgeVerdicts } from './judge-verdict.ts';

/**
 * The criterion whose judge rankings feed a reader: the one asked for, else the project's first (what its human
 * rankings are, until rankings carry a criterion of their own).
 */
export function judgedCriterion(project: Pick<Project, 'criteria'>, requested?: string): string {
  return requested ?? project.criteria[0]?.key ?? 'overall';
}

/** Each judge's verdict per prompt as a labeler's ranking, by prompt: what results, export and the leaderboard add for `judge`. */
export function judgeRankingsByPrompt(rows: readonly JudgeRankingRow[]): Map<number, { labeler: string; ranking: Ranking<number> }[]> {
  const out = new Map<number, { labeler: string; ranking: Ranking<number> }[]>();
  for (const v of judgeVerdicts(rows)) {
    let list = out.get(v.promptId);
    if (!list) {
      list = [];
      out.set(v.promptId, list);
    }
    list.push({ labeler: judgeLabeler(v.judgeId), ranking: v.ranking });
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
