import { type Engine, type SqlValue, type Statement } from './engine/sql.ts';
import { insertStatements } from './engine/bulk-insert.ts';
import type { ParsedPrompt } from '../import/parse-import.ts';
import type { ImportResult } from '../../shared/import-line.ts';

const promptColumns = ['batch_id', 'line', 'external_id', 'messages', 'metadata', 'response_count', 'gold'] as const;

/** Positions 0..8 (K is at most 9): one digit each, so no placeholder is a prefix of another. */
const goldPlaceholders = Array.from({ length: 9 }, (_, i) => i);
/** A gold line's tiers of response positions as text in which the move replaces each `#i` by the id of response i. */
const goldTemplate = (gold: readonly (readonly number[])[]): string => `[${gold.map((tier) => `[${tier.map((i) => `#${i}`).join(',')}]`).join(',')}]`;
/** The id of the prompt's response at position i, as text: responses are inserted in their line's order, so id order is it. */
const responseIdAt = (i: number) => `coalesce(CAST((SELECT r.id FROM responses r WHERE r.prompt_id = prompts.id ORDER BY r.id LIMIT 1 OFFSET ${i}) AS TEXT), '')`;
const goldIds = goldPlaceholders.reduce((sql, i) => `replace(${sql}, '#${i}', ${responseIdAt(i)})`, 's.gold');
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
    // Gold lines become gold prompts in the same transaction (server/store/prompts.ts does the same for one-shot imports).
    statement(
      'run',
      `UPDATE prompts SET gold = ${goldIds}, gold_at = ?
       FROM import_stage_prompts s
       WHERE s.batch_id = ? AND s.skipped = 0 AND s.gold IS NOT NULL AND prompts.project_id = ? AND prompts.external_id = s.external_id AND ${batchExists}`,
      now,
      batchId,
      projectId,
      batchId,
    ),
    statement(
      'run',
      `UPDATE projects SET gold_prompts = gold_prompts + (SELECT count(*) FROM import_stage_prompts WHERE batch_id = ? AND skipped = 0 AND gold IS NOT NULL)
       WHERE id = ? AND ${batchExists}`,
      batchId,
      projectId,
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
    // Every write here runs off the event loop, the small ones too: on SQLite a write on the loop's own connection
    // while the worker holds the lock would wait for it in SQLite's busy handler, holding the loop.
    /** A new batch for `projectId`, owned by `owner` (one run of one process). */
    async open(projectId: number, owner: string, now: number): Promise<number> {
      const [row] = await engine.transactionOffLoop([statement('get', 'INSERT INTO import_batches (project_id, owner, heartbeat_at) VALUES (?, ?, ?) RETURNING id', projectId, owner, now)]);
      if (!row) throw new Error('import batch insert returned nothing');
      return (row as { id: number }).id;
    },
    /**
     * Stages checked prompts and renews the batch, in one transaction off the event loop (one line may be 20 MB);
     * false once the batch is gone (its lease was lost: what this wrote is deleted as an ended batch's rows).
     */
    async stage(batchId: number, prompts: readonly ParsedPrompt[], now: number): Promise<boolean> {
      const promptRows = prompts.map((p) => [batchId, p.line, p.externalId, JSON.stringify(p.messages), JSON.stringify(p.metadata), p.responses.length, p.gold ? goldTemplate(p.gold) : null]);
      const responseRows = prompts.flatMap((p) => p.responses.map((r, position) => [batchId, p.line, position, r.text, r.model]));
      const [renewed] = await engine.transactionOffLoop([
        statement('run', 'UPDATE import_batches SET heartbeat_at = ? WHERE id = ?', now, batchId),
        ...insertStatements('import_stage_prompts', promptColumns, promptRows),
        ...insertStatements('import_stage_responses', responseColumns, responseRows),
      ]);
      return renewed !== 0;
    },
    /** Renews the batch's lease; false once it is gone. */
    async renew(batchId: number, now: number): Promise<boolean> {
      const [renewed] = await engine.transactionOffLoop([statement('run', 'UPDATE import_batches SET heartbeat_at = ? WHERE id = ?', now, batchId)]);
      return renewed !== 0;
    },
    /** Moves the staged prompts into the project in one transaction, off the event loop; null when the batch is gone (nothing was moved). */
    async commit(batchId: number, projectId: number, now: number): Promise<ImportResult | null> {
      // Postgres plans the move from the stage tables' statistics, and those always describe batches that are gone
      // (autovacuum analyses the tables whenever it visits: empty, or holding another batch): for a new batch id
      // they promise one row, and the planner joins the staged responses to their prompts by nested loops that
      // compare every response with every prompt, minutes for 10,000 lines. So the tables are analysed now, with
      // this batch staged, in their own statement, its lock not held through the move (decision 034).
      if (engine.kind === 'postgres') await engine.run('ANALYZE import_stage_prompts, import_stage_responses');
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
      await engine.transactionOffLoop([statement('run', 'DELETE FROM import_batches WHERE id = ?', batchId)]);
    },
    /** Ends every batch whose owner has not renewed it since `before` (it crashed or hung); their ids. */
    async dropStale(before: number): Promise<number[]> {
      const [rows] = await engine.transactionOffLoop([statement('all', 'DELETE FROM import_batches WHERE heartbeat_at < ? RETURNING id', before)]);
      return (rows as { id: number }[]).map((r) => r.id);
    },
    /** Batches that have staged rows but are ended (moved, refused, or dropped as stale). */
    async ended(): Promise<number[]> {
      const rows = await engine.all<{ batch_id: number }>(
        `SELECT batch_id FROM (SELECT DISTINCT batch_id FROM import_stage_prompts UNION SELECT DISTINCT batch_id FROM import_stage_responses) staged
         WHERE batch_id NOT IN (SELECT id FROM import_batches)`,
      );
      return rows.map((r) => r.batch_id);
    },
    /** The first and last staged line of a batch, or null when it has none left. */
    async stagedLines(batchId: number): Promise<{ first: number; last: number } | null> {
      const row = await engine.get<{ first: number | null; last: number | null }>(
        `SELECT min(first) AS first, max(last) AS last FROM (SELECT min(line) AS first, max(line) AS last FROM import_stage_prompts WHERE batch_id = ?
         UNION ALL SELECT min(line), max(line) FROM import_stage_responses WHERE batch_id = ?) staged`,
        batchId,
        batchId,
      );
      return row?.first == null || row.last == null ? null : { first: row.first, last: row.last };
    },
    /** Deletes a batch's staged lines from `first` to before `end`, in one transaction off the event loop. */
    async deleteStaged(batchId: number, first: number, end: number): Promise<void> {
      await engine.transactionOffLoop([
        statement('run', 'DELETE FROM import_stage_responses WHERE batch_id = ? AND line >= ? AND line < ?', batchId, first, end),
        statement('run', 'DELETE FROM import_stage_prompts WHERE batch_id = ? AND line >= ? AND line < ?', batchId, first, end),
      ]);
    },
  };
}
