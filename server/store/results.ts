import { all, get, type Engine } from './engine/sql.ts';
import { promptIsData, rankingCounts } from './counted-rankings.ts';
import { parseCriteriaTiers } from './criteria-tiers.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { Flag } from '../../shared/tasks.ts';
import type { PromptResult } from '../../shared/results.ts';
import { defaultSources, type RankingSource } from '../../shared/sources.ts';

/** A stored ranking as the results show it, plus its prompt and whether it counts. */
export type PromptRankingRow = Omit<PromptResult['rankings'][number], 'byCriterion'> & {
  promptId: number;
  counted: boolean;
  /** Every criterion's tiers (migration 010); null on a one-criterion project, whose tiers are `ranking`. */
  criteria: Record<string, number[][]> | null;
};

export type PromptRow = { id: number; externalId: string; messages: ChatMessage[]; excluded: boolean };
export type ResponseRow = { id: number; promptId: number; text: string; model: string | null; policy: string | null; finishReason: string | null };

// A ranking counts unless it, its labeler (in this project) or its prompt was excluded, or it says "not rankable".
const countedExpr = `${rankingCounts} AND p.excluded = 0`;

/** Which prompts count as ranked: by a human (the default), by a judge, or by either. */
function rankedBy(sources: readonly RankingSource[]): string {
  const human = 'submitted > 0';
  const judge = 'EXISTS (SELECT 1 FROM judge_rankings j WHERE j.prompt_id = prompts.id)';
  if (!sources.includes('judge')) return human;
  return sources.includes('human') ? `(${human} OR ${judge})` : judge;
}

export function resultsStore(engine: Engine) {
  return {
    async countRanked(projectId: number, sources: readonly RankingSource[] = defaultSources): Promise<number> {
      return (await engine.read(get<{ n: number }>(`SELECT count(*) AS n FROM prompts WHERE project_id = ? AND ${rankedBy(sources)} AND ${promptIsData()}`, projectId)))?.n ?? 0;
    },
    async rankedPrompts(projectId: number, limit: number, offset: number, sources: readonly RankingSource[] = defaultSources): Promise<PromptRow[]> {
      const rows = await engine.read(
        all<{ id: number; external_id: string; messages: string; excluded: number }>(
          // Gold prompts are tests of the labelers, not results (server/store/counted-rankings.ts), whoever ranked them.
          `SELECT id, external_id, messages, excluded FROM prompts WHERE project_id = ? AND ${rankedBy(sources)} AND ${promptIsData()} ORDER BY id LIMIT ? OFFSET ?`,
          projectId, limit, offset,
        ),
      );
      return rows.map((p) => ({ id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], excluded: p.excluded === 1 }));
    },
    async responses(promptId: number): Promise<ResponseRow[]> {
      const rows = await engine.read(
        all<{ id: number; prompt_id: number; text: string; model: string | null; policy: string | null; finish_reason: string | null }>(
          'SELECT id, prompt_id, text, model, policy, finish_reason FROM responses WHERE prompt_id = ? ORDER BY id',
          promptId,
        ),
      );
      return rows.map((r) => ({ id: r.id, promptId: r.prompt_id, text: r.text, model: r.model, policy: r.policy, finishReason: r.finish_reason }));
    },
    async rankings(promptId: number): Promise<PromptRankingRow[]> {
      const rows = await engine.read(
        all<{ id: number; prompt_id: number; user_id: number; username: string; tiers: string; criteria_tiers: string | null; not_rankable: number; flags: string; comment: string; display_order: string; duration_ms: number | null; excluded: number; counted: number }>(
          // Labelers in one fixed order (by account), so their columns line up from prompt to prompt.
          `SELECT r.id, r.prompt_id, r.user_id, u.username, r.tiers, r.criteria_tiers, r.not_rankable, r.flags, r.comment, a.display_order, r.duration_ms, r.excluded,
                  CASE WHEN ${countedExpr} THEN 1 ELSE 0 END AS counted
           FROM rankings r JOIN users u ON u.id = r.user_id JOIN prompts p ON p.id = r.prompt_id JOIN assignments a ON a.id = r.assignment_id
           LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
           WHERE r.prompt_id = ? ORDER BY r.user_id, r.id`,
          promptId,
        ),
      );
      return rows.map((r) => ({
        rankingId: r.id,
        promptId: r.prompt_id,
        userId: r.user_id,
        username: r.username,
        ranking: JSON.parse(r.tiers) as number[][],
        criteria: parseCriteriaTiers(r.criteria_tiers),
        notRankable: r.not_rankable === 1,
        flags: JSON.parse(r.flags) as Record<string, Flag[]>,
        comment: r.comment,
        shownOrder: JSON.parse(r.display_order) as number[],
        durationMs: r.duration_ms,
        excluded: r.excluded === 1,
        counted: r.counted === 1,
      }));
    },
  };
}
