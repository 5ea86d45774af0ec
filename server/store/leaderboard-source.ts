import { values, type Engine } from './engine/sql.ts';
import { countedRankings } from './agreement-source.ts';
import type { LeaderboardPrompt, ResponseProvenance } from '../leaderboard/pairwise-outcomes.ts';
import type { Ranking } from '../../shared/ranking.ts';
import type { CriterionSelection } from '../ranking/criterion-selection.ts';

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
    /** The project's ranked prompts with their counted rankings under the selected criterion (default: the first); `group` is the value of metadata key `groupKey`. */
    prompts(projectId: number, groupKey?: string, selection?: CriterionSelection): Promise<LeaderboardPrompt[]> {
      // Sources will narrow the counted rankings here; the prompts' shape stays the same.
      return engine.transaction(function* () {
        const provenance = yield* values<[number, number, string | null, string | null, string]>(
          `SELECT r.prompt_id, r.id, r.model, r.policy, p.metadata FROM responses r JOIN prompts p ON p.id = r.prompt_id
           WHERE p.project_id = ? AND p.excluded = 0 AND p.submitted > 0 ORDER BY r.prompt_id, r.id`,
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
        for (const r of yield* countedRankings(projectId, selection)) byPrompt.get(Number(r.prompt))?.rankings.push(r.ranking);
        return [...byPrompt.values()].filter((p) => p.rankings.length > 0);
      });
    },
  };
}
