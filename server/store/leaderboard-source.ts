import { values, type Engine } from './engine/sql.ts';
import { countedRankings } from './agreement-source.ts';
import type { LeaderboardPrompt, ResponseProvenance } from '../leaderboard/pairwise-outcomes.ts';
import type { Ranking } from '../../shared/ranking.ts';
import type { ExportRead } from '../export/export-types.ts';
import { rankingUnder } from '../ranking/criterion-selection.ts';
import { judgeCriteriaRows } from './judges.ts';
import { judgedCriteria, judgeRankingsByPrompt, judgeStoredRankings } from '../judges/judge-sources.ts';

/** A metadata value as a group name: strings as they are, other values as JSON; no value (or null) is no group. */
function groupValue(metadataJson: string, key: string): string | null {
  const value = (JSON.parse(metadataJson) as Record<string, unknown>)[key];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What the leaderboard reads: each prompt's counted rankings (the agreement figures' own read, so both count the same
 * rankings) with the provenance of its responses, in one read transaction so the two agree.
 */
export function leaderboardSource(engine: Engine) {
  return {
    /**
     * The project's ranked prompts with their counted rankings under the selected criterion (default: the first, human
     * only); `read.sources` picks whose rankings give outcomes. `group` is the value of metadata key `groupKey`.
     */
    prompts(projectId: number, groupKey?: string, read?: ExportRead): Promise<LeaderboardPrompt[]> {
      // Sources pick whose rankings give outcomes; the prompts' shape stays the same.
      const sources = read?.sources ?? ['human'];
      const human = sources.includes('human');
      const judge = read !== undefined && sources.includes('judge');
      const labelled = judge ? `(${human ? 'p.submitted > 0 OR ' : ''}EXISTS (SELECT 1 FROM judge_rankings j WHERE j.prompt_id = p.id))` : 'p.submitted > 0';
      return engine.transaction(function* () {
        const provenance = yield* values<[number, number, string | null, string | null, string]>(
          `SELECT r.prompt_id, r.id, r.model, r.policy, p.metadata FROM responses r JOIN prompts p ON p.id = r.prompt_id
           WHERE p.project_id = ? AND p.excluded = 0 AND ${labelled} ORDER BY r.prompt_id, r.id`,
          projectId,
        );
        const byPrompt = new Map<number, { responses: ResponseProvenance[]; rankings: Ranking[]; group: string | null }>();
        for (const [promptId, id, model, policy, metadata] of provenance) {
          let p = byPrompt.get(promptId);
          if (!p) {
            p = { responses: [], rankings: [], group: groupKey === undefined ? null : groupValue(metadata, groupKey) };
            byPrompt.set(promptId, p);
          }
          p.responses.push({ id, model, policy });
        }
        if (human) for (const r of yield* countedRankings(projectId, read?.selection)) byPrompt.get(Number(r.prompt))?.rankings.push(r.ranking);
        if (read && judge) {
          // A judge's verdict under the selection as a labeler's order would be (combined: its per-criterion orders combined).
          const judged = judgeStoredRankings(yield* judgeCriteriaRows(projectId, judgedCriteria(read.selection, read.criteria)), read.criteria);
          for (const [promptId, list] of judgeRankingsByPrompt(judged)) byPrompt.get(promptId)?.rankings.push(...list.map((j) => rankingUnder(j, read.selection).ranking));
        }
        return [...byPrompt.values()].filter((p) => p.rankings.length > 0);
      });
    },
  };
}
