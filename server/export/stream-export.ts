import type { ExportPrompt } from './export-types.ts';
import { exportLinesForPrompt, type ExportSettings } from './export-lines.ts';

export type ExportCounts = { prompts: number; lines: number };

/**
 * Writes JSONL for every batch of prompts, one chunk per batch, awaiting the sink so a slow reader
 * applies back-pressure; stops early when `aborted()` turns true (the client went away).
 */
export async function streamExport(
  batches: Iterable<ExportPrompt[]> | AsyncIterable<ExportPrompt[]>,
  settings: ExportSettings,
  write: (chunk: string) => Promise<unknown> | unknown,
  aborted: () => boolean = () => false,
): Promise<ExportCounts> {
  const counts: ExportCounts = { prompts: 0, lines: 0 };
  for await (const batch of batches) {
    if (aborted()) break;
    let chunk = '';
    for (const prompt of batch) {
      const lines = exportLinesForPrompt(prompt, settings);
      if (lines.length) counts.prompts++;
      for (const line of lines) chunk += JSON.stringify(line) + '\n';
      counts.lines += lines.length;
    }
    if (chunk) await write(chunk);
  }
  return counts;
}
