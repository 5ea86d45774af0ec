import { all, values, type Engine } from './engine/sql.ts';
import type { SqliteEngine } from './engine/sqlite-engine.ts';
import { promptIsData, rankingKeptOfDataPrompt } from './counted-rankings.ts';
import type { ExportPrompt } from '../export/export-types.ts';
import { exportFormats, type ExportFormatName } from '../export/format-registry.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { RankingSource } from '../../shared/sources.ts';
import { rankingUnder, type CriterionSelection } from '../ranking/criterion-selection.ts';
import { parseCriteriaTiers } from './criteria-tiers.ts';
import { judgeCriteriaRows } from './judges.ts';
import { judgeRankingsByPrompt, judgeStoredRankings, sourcesOf } from '../judges/judge-sources.ts';
import type { ExportRead } from '../export/export-types.ts';

type ExportView = { selection: CriterionSelection; keys: string[]; sources: readonly RankingSource[]; read: ExportRead | undefined };

type Loaded = ExportPrompt & { notRankable: number; excludedRankings: number; excluded: boolean };

/** The format's context (what a line takes from the prompt's messages); null for list formats. */
function contextOf(messages: unknown, format: unknown): string | null {
  const f = exportFormats[format as ExportFormatName];
  return f?.unit === 'pair' && typeof messages === 'string' ? f.context(JSON.parse(messages) as ChatMessage[]) : null;
}

/**
 * Reads a project's prompts for export in id-ordered batches (keyset pagination), each with its responses and counted
 * rankings, so memory stays flat whatever the project size. Prompts that will be left out (excluded, unlabeled, ...)
 * come too, with what the export needs to say why.
 */
export function exportSource(engine: Engine) {
  // On SQLite the context is computed in SQL, so that grouping by it stays in SQLite's sorter rather than in a
  // JavaScript map the size of the project. Postgres cannot call JavaScript, so there the map is built (below).
  if (engine.kind === 'sqlite') (engine as SqliteEngine).db.function('podium_export_context', { deterministic: true }, contextOf);
  function* batch(projectId: number, after: number, batchSize: number, view: ExportView) {
    const rows = yield* all<{ id: number; external_id: string; messages: string; excluded: number }>(
      `SELECT id, external_id, messages, excluded FROM prompts INDEXED BY prompts_project
       WHERE project_id = ? AND id > ? AND ${promptIsData()}
       ORDER BY id LIMIT ?`,
      projectId, after, batchSize,
    );
    if (rows.length === 0) return null;
    const first = rows[0]?.id ?? 0;
    const last = rows[rows.length - 1]?.id ?? 0;
    const byId = new Map<number, Loaded>();
    for (const p of rows) {
      const loaded: Loaded = { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], responses: [], rankings: [], notRankable: 0, excludedRankings: 0, excluded: p.excluded !== 0 };
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
    const rankings = yield* values<[number, number, string, number, number, string | null]>(
      `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable, CASE WHEN ${rankingKeptOfDataPrompt} THEN 1 ELSE 0 END AS kept, r.criteria_tiers FROM rankings r INDEXED BY rankings_prompt
       LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
       WHERE r.prompt_id BETWEEN ? AND ?
       ORDER BY r.prompt_id, r.id`,
      first, last,
    );
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

  return {
    /**
     * `read`: the criterion the rankings are read under (default: the first criterion, named nowhere), and whose rankings
     * (default human); with it, each prompt names its criterion (pair provenance) and carries the project's criterion
     * keys (`criteriaKeys`, in order).
     */
    async *batches(projectId: number, read?: ExportRead, batchSize = 250): AsyncGenerator<Loaded[]> {
      const view: ExportView = read
        ? { selection: read.selection, keys: read.criteria.map((c) => c.key), sources: read.sources ?? ['human'], read }
        : { selection: { key: '', first: true }, keys: [], sources: ['human'], read: undefined };
      // The next batch is asked for before this one is handed over: on Postgres the server reads it while this one is
      // turned into lines and written (SQLite reads it at once, on this thread, as it would have a moment later).
      const readFrom = (after: number) => {
        const pending = engine.read(batch(projectId, after, batchSize, view));
        // Handled here so that a consumer who stops early leaves no unhandled rejection; awaiting it still throws.
        pending.catch(() => undefined);
        return pending;
      };
      let next = readFrom(0);
      try {
        for (;;) {
          const current = await next;
          if (!current) return;
          next = readFrom(current.last);
          yield current.prompts;
        }
      } finally {
        // A consumer that stopped early: the read under way finishes before its connection is let go (or the store closed).
        await next.catch(() => undefined);
      }
    },
    /**
     * Contexts more than one labelled, kept prompt of the project renders in the settings' format: only their lines can
     * repeat across prompts, and only without metadata (the provenance names the prompt), so otherwise nothing is read.
     */
    async repeatedContexts(projectId: number, settings: { format: ExportFormatName; metadata: boolean; sources?: readonly RankingSource[] }): Promise<Set<string> | undefined> {
      if (settings.metadata) return undefined;
      // Prompts only a judge ranked export lines too when judges are asked for.
      const labelled = settings.sources?.includes('judge') ? '(submitted > 0 OR EXISTS (SELECT 1 FROM judge_rankings j WHERE j.prompt_id = prompts.id))' : 'submitted > 0';
      if (engine.kind === 'sqlite') {
        const rows = await engine.all<{ context: string }>(
          `SELECT podium_export_context(messages, ?) AS context FROM prompts
           WHERE project_id = ? AND excluded = 0 AND ${labelled} AND ${promptIsData()}
           GROUP BY context HAVING count(*) > 1 AND context IS NOT NULL`,
          settings.format,
          projectId,
        );
        return new Set(rows.map((r) => r.context));
      }
      const seen = new Set<string>();
      const repeated = new Set<string>();
      for (let after = 0; ; ) {
        const rows = await engine.all<{ id: number; messages: string }>(
          `SELECT id, messages FROM prompts WHERE project_id = ? AND excluded = 0 AND ${labelled} AND ${promptIsData()} AND id > ? ORDER BY id LIMIT 1000`,
          projectId,
          after,
        );
        if (rows.length === 0) return repeated;
        for (const r of rows) {
          const context = contextOf(r.messages, settings.format);
          if (context === null) continue;
          if (seen.has(context)) repeated.add(context);
          else seen.add(context);
        }
        after = rows[rows.length - 1]?.id ?? after;
      }
    },
  };
}
