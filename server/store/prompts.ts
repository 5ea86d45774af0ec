import type { Db } from './db.ts';
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

export function promptsStore(db: Db) {
  const existing = db.prepare<[number, string], { id: number }>('SELECT id FROM prompts WHERE project_id = ? AND external_id = ?');
  const insertPrompt = db.prepare<[number, string, string, string], { id: number }>(
    'INSERT INTO prompts (project_id, external_id, messages, metadata) VALUES (?, ?, ?, ?) RETURNING id',
  );
  const insertResponse = db.prepare<
    [number, string, string | null, string | null, string | null, number | null, number | null, number | null, number | null, string | null, number, string]
  >(
    `INSERT INTO responses (prompt_id, text, model, policy, params, seed, latency_ms, prompt_tokens, completion_tokens, finish_reason, duplicate, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const bumpCount = db.prepare<[number, number]>('UPDATE prompts SET response_count = response_count + ? WHERE id = ?');

  function addResponse(promptId: number, r: NewResponse): void {
    insertResponse.run(
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

  return {
    /** All lines in one transaction: a failure part-way stores nothing. */
    importPrompts(projectId: number, prompts: ParsedPrompt[]): ImportResult {
      return db.transaction(() => {
        const result: ImportResult = { imported: 0, skipped: [], responses: 0 };
        for (const p of prompts) {
          if (existing.get(projectId, p.externalId)) {
            result.skipped.push({ line: p.line, id: p.externalId });
            continue;
          }
          const row = insertPrompt.get(projectId, p.externalId, JSON.stringify(p.messages), JSON.stringify(p.metadata));
          if (!row) throw new Error('prompt insert returned nothing');
          for (const r of p.responses) addResponse(row.id, { ...r, source: 'import' });
          if (p.responses.length) bumpCount.run(p.responses.length, row.id);
          result.imported++;
          result.responses += p.responses.length;
        }
        return result;
      }).immediate();
    },
    /** For sampling: adds responses to one prompt and keeps its count in step. */
    addResponses(promptId: number, responses: NewResponse[]): void {
      db.transaction(() => {
        for (const r of responses) addResponse(promptId, r);
        bumpCount.run(responses.length, promptId);
      }).immediate();
    },
  };
}
