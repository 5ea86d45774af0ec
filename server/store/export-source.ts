import type { Db } from './db.ts';
import { rankingKept } from './counted-rankings.ts';
import type { ExportPrompt } from '../export/export-types.ts';
import { exportFormats, type ExportFormatName } from '../export/format-registry.ts';
import type { ChatMessage } from '../../shared/messages.ts';

type Bounds = { project: number; after: number; limit: number };
type Loaded = ExportPrompt & { notRankable: number; excludedRankings: number; excluded: boolean };

/**
 * Reads a project's prompts for export in id-ordered batches (keyset pagination), each with its responses and counted
 * rankings, so memory stays flat whatever the project size. Prompts that will be left out (excluded, unlabeled, ...)
 * come too, with what the export needs to say why.
 */
export function exportSource(db: Db) {
  const prompts = db.prepare<[Bounds], { id: number; external_id: string; messages: string; excluded: number }>(
    `SELECT id, external_id, messages, excluded FROM prompts INDEXED BY prompts_project
     WHERE project_id = @project AND id > @after
     ORDER BY id LIMIT @limit`,
  );
  // Range reads by prompt id ride the prompt_id indexes; rows of other projects' prompts that fall in
  // the range are dropped by the batch's id map rather than by a join that would scan the project.
  // raw(): rows as arrays, which saves an object per row on the export's hot path.
  const responses = db
    .prepare<[{ first: number; last: number }], [number, number, string, string | null]>('SELECT id, prompt_id, text, model FROM responses WHERE prompt_id BETWEEN @first AND @last ORDER BY prompt_id, id')
    .raw(true);
  // Excluded rankings come too (kept = 0), only to be counted: they explain a prompt that fell under minLabelers.
  const rankings = db
    .prepare<[{ first: number; last: number }], [number, number, string, number, number]>(
      `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable, ${rankingKept} AS kept FROM rankings r INDEXED BY rankings_prompt
       LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
       WHERE r.prompt_id BETWEEN @first AND @last
       ORDER BY r.prompt_id, r.id`,
    )
    .raw(true);
  // The format's context (what a line takes from the prompt's messages), computed in SQL so that grouping by it
  // stays in SQLite's sorter rather than in a JavaScript map the size of the project.
  db.function('podium_export_context', { deterministic: true }, (messages: unknown, format: unknown): string | null => {
    const f = exportFormats[format as ExportFormatName];
    return f?.unit === 'pair' && typeof messages === 'string' ? f.context(JSON.parse(messages) as ChatMessage[]) : null;
  });
  const repeated = db.prepare<{ project: number; format: string }, { context: string }>(
    `SELECT podium_export_context(messages, @format) AS context FROM prompts
     WHERE project_id = @project AND excluded = 0 AND submitted > 0
     GROUP BY context HAVING count(*) > 1 AND context IS NOT NULL`,
  );

  return {
    *batches(projectId: number, batchSize = 250): Generator<ExportPrompt[]> {
      let after = 0;
      for (;;) {
        const rows = prompts.all({ project: projectId, after, limit: batchSize });
        if (rows.length === 0) return;
        const first = rows[0]?.id ?? 0;
        const last = rows[rows.length - 1]?.id ?? 0;
        const byId = new Map<number, Loaded>();
        for (const p of rows) {
          byId.set(p.id, { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], responses: [], rankings: [], notRankable: 0, excludedRankings: 0, excluded: p.excluded !== 0 });
        }
        for (const [id, promptId, text, model] of responses.all({ first, last })) byId.get(promptId)?.responses.push({ id, text, model });
        for (const [promptId, userId, tiers, notRankable, kept] of rankings.all({ first, last })) {
          const p = byId.get(promptId);
          if (!p) continue;
          if (!kept) {
            if (!notRankable) p.excludedRankings++;
          } else if (notRankable) p.notRankable++;
          else p.rankings.push({ labeler: userId, ranking: JSON.parse(tiers) as number[][] });
        }
        yield [...byId.values()];
        after = last;
      }
    },
    /**
     * Contexts more than one labelled, kept prompt of the project renders in the settings' format: only their lines can
     * repeat across prompts, and only without metadata (the provenance names the prompt), so otherwise nothing is read.
     */
    repeatedContexts(projectId: number, settings: { format: ExportFormatName; metadata: boolean }): Set<string> | undefined {
      if (settings.metadata) return undefined;
      return new Set(repeated.all({ project: projectId, format: settings.format }).map((r) => r.context));
    },
  };
}
