import { all, values, type Engine } from './engine/sql.ts';
import type { SqliteEngine } from './engine/sqlite-engine.ts';
import { rankingKept } from './counted-rankings.ts';
import type { ExportPrompt } from '../export/export-types.ts';
import { exportFormats, type ExportFormatName } from '../export/format-registry.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { Criterion } from '../../shared/criteria.ts';
import { rankingUnder, type CriterionSelection } from '../ranking/criterion-selection.ts';
import { parseCriteriaTiers } from './criteria-tiers.ts';

type ExportView = { selection: CriterionSelection; keys: string[] };

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
  function* batch(projectId: number, after: number, batchSize: number, view: ExportView | undefined) {
    const rows = yield* all<{ id: number; external_id: string; messages: string; excluded: number }>(
      `SELECT id, external_id, messages, excluded FROM prompts INDEXED BY prompts_project
       WHERE project_id = ? AND id > ?
       ORDER BY id LIMIT ?`,
      projectId, after, batchSize,
    );
    if (rows.length === 0) return null;
    const first = rows[0]?.id ?? 0;
    const last = rows[rows.length - 1]?.id ?? 0;
    const byId = new Map<number, Loaded>();
    for (const p of rows) {
      const loaded: Loaded = { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], responses: [], rankings: [], notRankable: 0, excludedRankings: 0, excluded: p.excluded !== 0 };
      if (view) {
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
    // Excluded rankings come too (kept = 0), only to be counted: they explain a prompt that fell under minLabelers.
    const rankings = yield* values<[number, number, string, number, number, string | null]>(
      `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable, CASE WHEN ${rankingKept} THEN 1 ELSE 0 END AS kept, r.criteria_tiers FROM rankings r INDEXED BY rankings_prompt
       LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
       WHERE r.prompt_id BETWEEN ? AND ?
       ORDER BY r.prompt_id, r.id`,
      first, last,
    );
    for (const [promptId, userId, tiers, notRankable, kept, criteriaTiers] of rankings) {
      const p = byId.get(promptId);
      if (!p) continue;
      if (!kept) {
        if (!notRankable) p.excludedRankings++;
      } else if (notRankable) p.notRankable++;
      else if (criteriaTiers === null && (view === undefined || view.selection.first)) p.rankings.push({ labeler: userId, ranking: JSON.parse(tiers) as number[][] });
      else {
        // Another criterion than the first, or combined: the labeler's ranking under it, with every criterion's for the rankings format.
        const stored = { ranking: JSON.parse(tiers) as number[][], criteria: parseCriteriaTiers(criteriaTiers) };
        p.rankings.push({ labeler: userId, ...(view ? rankingUnder(stored, view.selection) : stored), criteria: stored.criteria });
      }
    }
    return { prompts: [...byId.values()], last };
  }

  return {
    /**
     * `selection`: the criterion the rankings are read under (default: the first criterion, named nowhere); with it, each
     * prompt names its criterion (pair provenance) and carries the project's criterion keys (`criteria`, in order).
     */
    async *batches(projectId: number, selection?: { selection: CriterionSelection; criteria: readonly Criterion[] }, batchSize = 250): AsyncGenerator<Loaded[]> {
      const view = selection ? { selection: selection.selection, keys: selection.criteria.map((c) => c.key) } : undefined;
      let after = 0;
      for (;;) {
        const next = await engine.read(batch(projectId, after, batchSize, view));
        if (!next) return;
        yield next.prompts;
        after = next.last;
      }
    },
    /**
     * Contexts more than one labelled, kept prompt of the project renders in the settings' format: only their lines can
     * repeat across prompts, and only without metadata (the provenance names the prompt), so otherwise nothing is read.
     */
    async repeatedContexts(projectId: number, settings: { format: ExportFormatName; metadata: boolean }): Promise<Set<string> | undefined> {
      if (settings.metadata) return undefined;
      if (engine.kind === 'sqlite') {
        const rows = await engine.all<{ context: string }>(
          `SELECT podium_export_context(messages, ?) AS context FROM prompts
           WHERE project_id = ? AND excluded = 0 AND submitted > 0
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
          'SELECT id, messages FROM prompts WHERE project_id = ? AND excluded = 0 AND submitted > 0 AND id > ? ORDER BY id LIMIT 1000',
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
