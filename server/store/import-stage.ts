import { all, get, run, type Engine, type SqlValue, type Statement } from './engine/sql.ts';
import { insertRows } from './engine/bulk-insert.ts';
import type { ParsedPrompt } from '../import/parse-import.ts';
import type { ImportResult } from '../../shared/import-line.ts';

const promptColumns = ['batch_id', 'line', 'external_id', 'messages', 'metadata', 'response_count'] as const;
const responseColumns = ['batch_id', 'line', 'position', 'text', 'model'] as const;

const statement = (kind: Statement['kind'], sql: string, ...params: SqlValue[]): Statement => ({ kind, sql, params });

/**
 * The move of a staged import into the project, as fixed statements (they run off the event loop on SQLite). The
 * batch's heartbeat is renewed first: if the batch is gone (its lease was lost and it was dropped) the renewal
 * changes nothing, and every insert below checks the batch exists, so nothing of a half-deleted stage is moved.
 * Deleting the batch row marks the move done; its staged rows are deleted afterwards, in small pieces.
 */
function moveStatements(batchId: number, projectId: number, now: number): Statement[] {
  const batchExists = 'EXISTS (SELECT 1 FROM import_batches WHERE id = ?)';
  return [
    statement('run', 'UPDATE import_batches SET heartbeat_at = ? WHERE id = ?', now, batchId),
    statement(
      'run',
      `UPDATE import_stage_prompts SET skipped = 1
       WHERE batch_id = ? AND EXISTS (SELECT 1 FROM prompts p WHERE p.project_id = ? AND p.external_id = import_stage_prompts.external_id)`,
      batchId,
      projectId,
    ),
    statement('all', 'SELECT line, external_id FROM import_stage_prompts WHERE batch_id = ? AND skipped = 1 ORDER BY line', batchId),
    statement(
      'run',
      `INSERT INTO prompts (project_id, external_id, messages, metadata, response_count)
       SELECT CAST(? AS BIGINT), external_id, messages, metadata, response_count FROM import_stage_prompts
       WHERE batch_id = ? AND skipped = 0 AND ${batchExists} ORDER BY line`,
      projectId,
      batchId,
      batchId,
    ),
    statement(
      'run',
      `INSERT INTO responses (prompt_id, text, model, source)
       SELECT p.id, r.text, r.model, 'import' FROM import_stage_responses r
       JOIN import_stage_prompts s ON s.batch_id = r.batch_id AND s.line = r.line
       JOIN prompts p ON p.project_id = ? AND p.external_id = s.external_id
       WHERE r.batch_id = ? AND s.skipped = 0 AND ${batchExists} ORDER BY r.line, r.position`,
      projectId,
      batchId,
      batchId,
    ),
    statement('run', 'DELETE FROM import_batches WHERE id = ?', batchId),
  ];
}

/**
 * Imports written in pieces (decision 023): a batch is opened, the checked lines are staged in short transactions
 * while the upload goes on, and one transaction moves them into the project at the end. Staged rows are read by
 * nothing else, so a refused file, a failed upload or a crash leaves nothing visible.
 */
export function importStageStore(engine: Engine) {
  return {
    /** A new batch for `projectId`, owned by `owner` (one run of one process). */
    async open(projectId: number, owner: string, now: number): Promise<number> {
      const row = await engine.transaction(() => get<{ id: number }>('INSERT INTO import_batches (project_id, owner, heartbeat_at) VALUES (?, ?, ?) RETURNING id', projectId, owner, now));
      if (!row) throw new Error('import batch insert returned nothing');
      return row.id;
    },
    /** Stages checked prompts and renews the batch, in one transaction; false once the batch is gone (its lease was lost). */
    stage(batchId: number, prompts: readonly ParsedPrompt[], now: number): Promise<boolean> {
      const promptRows = prompts.map((p) => [batchId, p.line, p.externalId, JSON.stringify(p.messages), JSON.stringify(p.metadata), p.responses.length]);
      const responseRows = prompts.flatMap((p) => p.responses.map((r, position) => [batchId, p.line, position, r.text, r.model]));
      return engine.transaction(function* () {
        if ((yield* run('UPDATE import_batches SET heartbeat_at = ? WHERE id = ?', now, batchId)) === 0) return false;
        yield* insertRows('import_stage_prompts', promptColumns, promptRows);
        yield* insertRows('import_stage_responses', responseColumns, responseRows);
        return true;
      });
    },
    /** Renews the batch's lease; false once it is gone. */
    async renew(batchId: number, now: number): Promise<boolean> {
      return (await engine.run('UPDATE import_batches SET heartbeat_at = ? WHERE id = ?', now, batchId)) > 0;
    },
    /** Moves the staged prompts into the project in one transaction, off the event loop; null when the batch is gone (nothing was moved). */
    async commit(batchId: number, projectId: number, now: number): Promise<ImportResult | null> {
      const [renewed, , skipped, imported, responses] = await engine.transactionOffLoop(moveStatements(batchId, projectId, now));
      if (renewed === 0) return null;
      return {
        imported: imported as number,
        skipped: (skipped as { line: number; external_id: string }[]).map((s) => ({ line: s.line, id: s.external_id })),
        responses: responses as number,
      };
    },
    /** Ends a batch without moving it (a refused or failed import); its staged rows are left to `deleteStaged`. */
    async drop(batchId: number): Promise<void> {
      await engine.run('DELETE FROM import_batches WHERE id = ?', batchId);
    },
    /** Ends every batch whose owner has not renewed it since `before` (it crashed or hung); their ids. */
    async dropStale(before: number): Promise<number[]> {
      const rows = await engine.transaction(() => all<{ id: number }>('DELETE FROM import_batches WHERE heartbeat_at < ? RETURNING id', before));
      return rows.map((r) => r.id);
    },
    /** Batches that have staged rows but are ended (moved, refused, or dropped as stale). */
    async ended(): Promise<number[]> {
      const rows = await engine.all<{ batch_id: number }>(
        `SELECT batch_id FROM (SELECT DISTINCT batch_id FROM import_stage_prompts UNION SELECT DISTINCT batch_id FROM import_stage_responses) staged
         WHERE batch_id NOT IN (SELECT id FROM import_batches)`,
      );
      return rows.map((r) => r.batch_id);
    },
    /** Deletes the staged rows of up to `lines` lines of a batch, from its first; false once none are left. */
    deleteStaged(batchId: number, lines: number): Promise<boolean> {
      return engine.transaction(function* () {
        const first = yield* get<{ line: number | null }>(
          `SELECT min(line) AS line FROM (SELECT min(line) AS line FROM import_stage_prompts WHERE batch_id = ?
           UNION ALL SELECT min(line) FROM import_stage_responses WHERE batch_id = ?) lines`,
          batchId,
          batchId,
        );
        if (first?.line == null) return false;
        yield* run('DELETE FROM import_stage_responses WHERE batch_id = ? AND line < ?', batchId, first.line + lines);
        yield* run('DELETE FROM import_stage_prompts WHERE batch_id = ? AND line < ?', batchId, first.line + lines);
        return true;
      });
    },
  };
}
