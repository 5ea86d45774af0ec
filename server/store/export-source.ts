import type { Db } from './db.ts';
import { rankingKept } from './counted-rankings.ts';
import type { ExportPrompt } from '../export/export-types.ts';
import type { ChatMessage } from '../../shared/messages.ts';

type Bounds = { project: number; after: number; limit: number };

/**
 * Reads a project's ranked prompts for export in id-ordered batches (keyset pagination), each with
 * its responses and counted rankings, so memory stays flat whatever the project size.
 */
export function exportSource(db: Db) {
  const prompts = db.prepare<[Bounds], { id: number; external_id: string; messages: string }>(
    `SELECT id, external_id, messages FROM prompts INDEXED BY prompts_project
     WHERE project_id = @project AND id > @after AND excluded = 0 AND submitted > 0
     ORDER BY id LIMIT @limit`,
  );
  // Range reads by prompt id ride the prompt_id indexes; rows of other projects' prompts that fall in
  // the range are dropped by the batch's id map rather than by a join that would scan the project.
  // raw(): rows as arrays, which saves an object per row on the export's hot path.
  const responses = db
    .prepare<[{ first: number; last: number }], [number, number, string, string | null]>('SELECT id, prompt_id, text, model FROM responses WHERE prompt_id BETWEEN @first AND @last ORDER BY prompt_id, id')
    .raw(true);
  // A ranking counts unless it, or its labeler in this project, was excluded; "not rankable" ones are counted apart.
  const rankings = db
    .prepare<[{ first: number; last: number }], [number, number, string, number]>(
      `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable FROM rankings r INDEXED BY rankings_prompt
       LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
       WHERE r.prompt_id BETWEEN @first AND @last AND ${rankingKept}
       ORDER BY r.prompt_id, r.id`,
    )
    .raw(true);

  return {
    *batches(projectId: number, batchSize = 250): Generator<ExportPrompt[]> {
      let after = 0;
      for (;;) {
        const rows = prompts.all({ project: projectId, after, limit: batchSize });
        if (rows.length === 0) return;
        const first = rows[0]?.id ?? 0;
        const last = rows[rows.length - 1]?.id ?? 0;
        const byId = new Map<number, ExportPrompt & { notRankable: number }>();
        for (const p of rows) {
          byId.set(p.id, { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], responses: [], rankings: [], notRankable: 0 });
        }
        for (const [id, promptId, text, model] of responses.all({ first, last })) byId.get(promptId)?.responses.push({ id, text, model });
        for (const [promptId, userId, tiers, notRankable] of rankings.all({ first, last })) {
          const p = byId.get(promptId);
          if (!p) continue;
          if (notRankable) p.notRankable++;
          else p.rankings.push({ labeler: userId, ranking: JSON.parse(tiers) as number[][] });
        }
        const batch: ExportPrompt[] = [];
        // A prompt most of whose labelers called it not rankable is left out of the data.
        for (const { notRankable, ...p } of byId.values()) if (notRankable <= p.rankings.length) batch.push(p);
        yield batch;
        after = last;
      }
    },
  };
}
