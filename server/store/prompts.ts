import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import type { ParsedPrompt } from '../import/parse-import.ts';
import type { ImportResult } from '../../shared/import-line.ts';

export type NewResponse = {
  text: string;
  model: string | null;
  policy?: string | null;
  params?: unknown;
  seed?: number | null;
  latencyMs?: number | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  finishReason?: string | null;
  duplicate?: boolean;
  source: 'import' | 'sampled';
};

function* addResponse(promptId: number, r: NewResponse): Sql<void> {
  yield* run(
    `INSERT INTO responses (prompt_id, text, model, policy, params, seed, latency_ms, prompt_tokens, completion_tokens, finish_reason, duplicate, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    promptId,
    r.text,
    r.model,
    r.policy ?? null,
    r.params === undefined ? null : JSON.stringify(r.params),
    r.seed ?? null,
    r.latencyMs ?? null,
    r.promptTokens ?? null,
    r.completionTokens ?? null,
    r.finishReason ?? null,
    r.duplicate ? 1 : 0,
    r.source,
  );
}

/** Adds responses to one prompt and keeps its count in step; part of the caller's transaction. */
export function* addResponses(promptId: number, responses: NewResponse[]): Sql<void> {
  for (const r of responses) yield* addResponse(promptId, r);
  yield* run('UPDATE prompts SET response_count = response_count + ? WHERE id = ?', responses.length, promptId);
}

export function promptsStore(engine: Engine) {
  return {
    /** All lines in one transaction: a failure part-way stores nothing. */
    importPrompts(projectId: number, prompts: ParsedPrompt[], now = Date.now()): Promise<ImportResult> {
      return engine.transaction(function* () {
        const result: ImportResult = { imported: 0, skipped: [], responses: 0 };
        let gold = 0;
        for (const p of prompts) {
          if (yield* get('SELECT id FROM prompts WHERE project_id = ? AND external_id = ?', projectId, p.externalId)) {
            result.skipped.push({ line: p.line, id: p.externalId });
            continue;
          }
          const row = yield* get<{ id: number }>(
            'INSERT INTO prompts (project_id, external_id, messages, metadata) VALUES (?, ?, ?, ?) RETURNING id',
            projectId, p.externalId, JSON.stringify(p.messages), JSON.stringify(p.metadata),
          );
          if (!row) throw new Error('prompt insert returned nothing');
          if (p.responses.length) yield* addResponses(row.id, p.responses.map((r) => ({ ...r, source: 'import' as const })));
          if (p.gold) {
            // The line's indexes name its responses in file order, which is id order.
            const ids = (yield* all<{ id: number }>('SELECT id FROM responses WHERE prompt_id = ? ORDER BY id', row.id)).map((r) => r.id);
            yield* run('UPDATE prompts SET gold = ?, gold_at = ? WHERE id = ?', JSON.stringify(p.gold.map((tier) => tier.map((i) => ids[i] as number))), now, row.id);
            gold++;
          }
          result.imported++;
          result.responses += p.responses.length;
        }
        if (gold) yield* run('UPDATE projects SET gold_prompts = gold_prompts + ? WHERE id = ?', gold, projectId);
        return result;
      });
    },
    /** For sampling: adds responses to one prompt and keeps its count in step. */
    addResponses(promptId: number, responses: NewResponse[]): Promise<void> {
      return engine.transaction(() => addResponses(promptId, responses));
    },
  };
}
