import type { Engine } from './engine/sql.ts';
import { loopTurns } from '../http/loop-turns.ts';
import type { SqliteEngine } from './engine/sqlite-engine.ts';
import { promptIsData } from './counted-rankings.ts';
import { exportFormats, type ExportFormatName } from '../export/format-registry.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { RankingSource } from '../../shared/sources.ts';
import type { ExportRead } from '../export/export-types.ts';
import { exportBatch, exportView, type LoadedPrompt } from './export-batch.ts';

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
  return {
    /**
     * `read`: the criterion the rankings are read under (default: the first criterion, named nowhere), and whose rankings
     * (default human); with it, each prompt names its criterion (pair provenance) and carries the project's criterion
     * keys (`criteriaKeys`, in order).
     */
    async *batches(projectId: number, read?: ExportRead, batchSize = 100): AsyncGenerator<LoadedPrompt[]> {
      const view = exportView(read);
      const readAfter = (after: number) => engine.read(exportBatch(projectId, after, batchSize, view));
      if (engine.kind === 'sqlite') {
        // A SQLite read is synchronous, so there is nothing to overlap: the next batch is read once this one has been
        // turned into lines, and one batch is alive at a time (two kept V8's young generation full of survivors and
        // doubled the export's CPU, measured). A read settles in a microtask, so the event loop gets a turn every
        // slice (loopTurns) and labelers' requests never wait behind a whole export.
        const turn = loopTurns();
        for (let batch = await readAfter(0); batch; batch = await readAfter(batch.last)) {
          yield batch.prompts;
          await turn();
        }
        return;
      }
      // The next batch is asked for before this one is handed over: on Postgres the server reads it while this one is
      // turned into lines and written.
      const readFrom = (after: number) => {
        const pending = readAfter(after);
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
