import { all, values, type Engine } from './engine/sql.ts';
import { rankingKept } from './counted-rankings.ts';
import type { ExportPrompt } from '../export/export-types.ts';
import type { ChatMessage } from '../../shared/messages.ts';

/**
 * Reads a project's ranked prompts for export in id-ordered batches (keyset pagination), each with
 * its responses and counted rankings, so memory stays flat whatever the project size.
 */
export function exportSource(engine: Engine) {
  function* batch(projectId: number, after: number, batchSize: number) {
    const rows = yield* all<{ id: number; external_id: string; messages: string }>(
      `SELECT id, external_id, messages FROM prompts INDEXED BY prompts_project
       WHERE project_id = ? AND id > ? AND excluded = 0 AND submitted > 0
       ORDER BY id LIMIT ?`,
      projectId, after, batchSize,
    );
    if (rows.length === 0) return null;
    const first = rows[0]?.id ?? 0;
    const last = rows[rows.length - 1]?.id ?? 0;
    const byId = new Map<number, ExportPrompt & { notRankable: number }>();
    for (const p of rows) {
      byId.set(p.id, { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], responses: [], rankings: [], notRankable: 0 });
    }
    // Range reads by prompt id ride the prompt_id indexes; rows of other projects' prompts that fall in
    // the range are dropped by the batch's id map rather than by a join that would scan the project.
    // Rows as arrays, which saves an object per row on the export's hot path.
    const responses = yield* values<[number, number, string, string | null]>('SELECT id, prompt_id, text, model FROM responses WHERE prompt_id BETWEEN ? AND ? ORDER BY prompt_id, id', first, last);
    for (const [id, promptId, text, model] of responses) byId.get(promptId)?.responses.push({ id, text, model });
    // A ranking counts unless it, or its labeler in this project, was excluded; "not rankable" ones are counted apart.
    const rankings = yield* values<[number, number, string, number]>(
      `SELECT r.prompt_id, r.user_id, r.tiers, r.not_rankable FROM rankings r INDEXED BY rankings_prompt
       LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
       WHERE r.prompt_id BETWEEN ? AND ? AND ${rankingKept}
       ORDER BY r.prompt_id, r.id`,
      first, last,
    );
    for (const [promptId, userId, tiers, notRankable] of rankings) {
      const p = byId.get(promptId);
      if (!p) continue;
      if (notRankable) p.notRankable++;
      else p.rankings.push({ labeler: userId, ranking: JSON.parse(tiers) as number[][] });
    }
    const out: ExportPrompt[] = [];
    // A prompt most of whose labelers called it not rankable is left out of the data.
    for (const { notRankable, ...p } of byId.values()) if (notRankable <= p.rankings.length) out.push(p);
    return { prompts: out, last };
  }

  return {
    async *batches(projectId: number, batchSize = 250): AsyncGenerator<ExportPrompt[]> {
      let after = 0;
      for (;;) {
        const next = await engine.read(batch(projectId, after, batchSize));
        if (!next) return;
        yield next.prompts;
        after = next.last;
      }
    },
  };
}
