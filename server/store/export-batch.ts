import { all, values, type Sql } from './engine/sql.ts';
import { promptIsData, rankingKeptOfDataPrompt } from './counted-rankings.ts';
import type { ExportPrompt, ExportRead } from '../export/export-types.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import { defaultSources, type RankingSource } from '../../shared/sources.ts';
import { rankingUnder, type CriterionSelection } from '../ranking/criterion-selection.ts';
import { parseCriteriaTiers } from './criteria-tiers.ts';
import { judgeCriteriaRows } from './judges.ts';
import { judgeRankingsByPrompt, judgeStoredRankings, sourcesOf } from '../judges/judge-sources.ts';

/** What an export reads under: the selection, the criterion keys and whose rankings, worked out once per export. */
export type ExportView = { selection: CriterionSelection; keys: string[]; sources: readonly RankingSource[]; read: ExportRead | undefined };

export type LoadedPrompt = ExportPrompt & { notRankable: number; excludedRankings: number; excluded: boolean };
export type ExportBatch = { prompts: LoadedPrompt[]; last: number };

/**
 * `read`: the criterion the rankings are read under (default: the first criterion, named nowhere), and whose rankings
 * (default human).
 */
export function exportView(read: ExportRead | undefined): ExportView {
  return read
    ? { selection: read.selection, keys: read.criteria.map((c) => c.key), sources: read.sources ?? defaultSources, read }
    : { selection: { key: '', first: true }, keys: [], sources: defaultSources, read: undefined };
}

/**
 * The rankings of the prompts whose ids lie in a range (two parameters), in submission order per prompt. Every column
 * it takes is in rankings_prompt (migration 016), so on SQLite it reads that index alone, however the rankings lie in
 * the table.
 */
export const rankingsOfPromptRange = `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable, CASE WHEN ${rankingKeptOfDataPrompt} THEN 1 ELSE 0 END AS kept, r.criteria_tiers FROM rankings r INDEXED BY rankings_prompt
     LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.prompt_id BETWEEN ? AND ?
     ORDER BY r.prompt_id, r.id`;

/**
 * One batch of a project's prompts after prompt id `after` (keyset pagination), each with its responses and counted
 * rankings; null past the last.
 */
export function* exportBatch(projectId: number, after: number, batchSize: number, view: ExportView): Sql<ExportBatch | null> {
  const rows = yield* all<{ id: number; external_id: string; messages: string; excluded: number }>(
    `SELECT id, external_id, messages, excluded FROM prompts INDEXED BY prompts_project
     WHERE project_id = ? AND id > ? AND ${promptIsData()}
     ORDER BY id LIMIT ?`,
    projectId, after, batchSize,
  );
  if (rows.length === 0) return null;
  const first = rows[0]?.id ?? 0;
  const last = rows[rows.length - 1]?.id ?? 0;
  const byId = new Map<number, LoadedPrompt>();
  for (const p of rows) {
    const loaded: LoadedPrompt = { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], responses: [], rankings: [], notRankable: 0, excludedRankings: 0, excluded: p.excluded !== 0 };
    if (view.read) {
      loaded.criterion = view.selection.key;
      loaded.criteriaKeys = view.keys;
    }
    byId.set(p.id, loaded);
  }
  // Range reads by prompt id ride the prompt_id indexes; rows of other projects' prompts that fall in
  // the range are dropped by the batch's id map rather than by a join that would scan the project.
  // Rows as arrays, which saves an object per row on the export's hot path.
  const responses = yield* values<[number, number, string, string | null]>('SELECT id, prompt_id, text, model FROM responses WHERE prompt_id BETWEEN ? AND ? ORDER BY prompt_id, id', first, last);
  for (const [id, promptId, text, model] of responses) byId.get(promptId)?.responses.push({ id, text, model });
  // Gold prompts are not in the batch (they are tests, not data), so their rankings in the range are dropped with other
  // projects', and whether a ranking is kept needs no probe of its prompt (rankingKeptOfDataPrompt). Excluded rankings
  // come too (kept = 0), only to be counted: they explain a prompt that fell under minLabelers.
  const rankings = yield* values<[number, number, string, number, number, string | null]>(rankingsOfPromptRange, first, last);
  if (view.sources.includes('human')) {
    for (const [promptId, userId, tiers, notRankable, kept, criteriaTiers] of rankings) {
      const p = byId.get(promptId);
      if (!p) continue;
      if (!kept) {
        if (!notRankable) p.excludedRankings++;
      } else if (notRankable) p.notRankable++;
      else if (criteriaTiers === null && (view.read === undefined || view.selection.first)) p.rankings.push({ labeler: userId, ranking: JSON.parse(tiers) as number[][] });
      else {
        // Another criterion than the first, or combined: the labeler's ranking under it, with every criterion's for the rankings format.
        const stored = { ranking: JSON.parse(tiers) as number[][], criteria: parseCriteriaTiers(criteriaTiers) };
        p.rankings.push({ labeler: userId, ...(view.read ? rankingUnder(stored, view.selection) : stored), criteria: stored.criteria });
      }
    }
  }
  // A judge's verdict on a prompt stands beside the humans' rankings as one more labeler, only when asked for. Every
  // criterion is read (the rankings format lists each), and the verdict goes under the selection as a labeler's does.
  if (view.read && view.sources.includes('judge')) {
    const judged = judgeStoredRankings(yield* judgeCriteriaRows(projectId, view.keys, { first, last }), view.read.criteria);
    for (const [promptId, list] of judgeRankingsByPrompt(judged)) {
      const p = byId.get(promptId);
      if (!p) continue;
      for (const j of list) p.rankings.push({ labeler: j.labeler, ...rankingUnder(j, view.selection), criteria: j.criteria });
    }
  }
  for (const p of byId.values()) p.sources = sourcesOf(p.rankings);
  return { prompts: [...byId.values()], last };
}
