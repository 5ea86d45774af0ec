import type { Db } from './db.ts';
import type { ExportPrompt } from '../export/export-types.ts';
import type { ChatMessage } from '../../shared/messages.ts';

type Bounds = { project: number; after: number; limit: number };

/**
 * Reads a project's ranked prompts for export in id-ordered batches (keyset pagination), each with
 * its responses and counted rankings, so memory stays flat whatever the project size.
 */
export function exportSource(db: Db) {
  const prompts = db.prepare<[Bounds], { id: number; external_id: string; messages: string }>(
    `SELECT id, external_id, messages FROM prompts
     WHERE project_id = @project AND id > @after AND excluded = 0 AND submitted > 0
     ORDER BY id LIMIT @limit`,
  );
  const responses = db.prepare<[{ project: number; first: number; last: number }], { id: number; prompt_id: number; text: string; model: string | null }>(
    `SELECT r.id, r.prompt_id, r.text, r.model FROM responses r JOIN prompts p ON p.id = r.prompt_id
     WHERE p.project_id = @project AND r.prompt_id BETWEEN @first AND @last ORDER BY r.prompt_id, r.id`,
  );
  // A ranking counts unless it, or its labeler in this project, was excluded; "not rankable" ones are counted apart.
  const rankings = db.prepare<[{ project: number; first: number; last: number }], { prompt_id: number; user_id: number; tiers: string; not_rankable: number }>(
    `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable FROM rankings r
     LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.project_id = @project AND r.prompt_id BETWEEN @first AND @last AND r.excluded = 0 AND coalesce(m.excluded, 0) = 0
     ORDER BY r.prompt_id, r.id`,
  );

  return {
    *batches(projectId: number, batchSize = 1000): Generator<ExportPrompt[]> {
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
        for (const r of responses.iterate({ project: projectId, first, last })) byId.get(r.prompt_id)?.responses.push({ id: r.id, text: r.text, model: r.model });
        for (const r of rankings.iterate({ project: projectId, first, last })) {
          const p = byId.get(r.prompt_id);
          if (!p) continue;
          if (r.not_rankable) p.notRankable++;
          else p.rankings.push({ labeler: r.user_id, ranking: JSON.parse(r.tiers) as number[][] });
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
