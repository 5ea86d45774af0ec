import { splitOf } from '../ranking/split.ts';
import type { ExportLine } from './format-registry.ts';
import type { ExportPrompt } from './export-types.ts';
import { exportLineCount, exportLinesForPrompt, splitKeyOf, type ExportSettings } from './export-lines.ts';

export type SideCounts = { lines: number; prompts: number };

/** What an export with these settings holds: `lines`/`prompts` as the stream would write them, and each split side's share. */
export type ExportTally = { lines: number; prompts: number; train: SideCounts; test: SideCounts };

export type TallyOptions = {
  /** How many of the first lines to keep, formatted exactly as the stream writes them. */
  preview?: number;
};

/**
 * One pass over the export's batches that counts lines without formatting them (the pairs are still
 * computed, the JSON strings are not), per split side whatever `settings.split` keeps, and formats only
 * the first `preview` lines. The counts equal what `streamExport` writes for the same settings.
 */
export async function tallyExport(
  batches: Iterable<ExportPrompt[]> | AsyncIterable<ExportPrompt[]>,
  settings: ExportSettings,
  options: TallyOptions = {},
): Promise<{ counts: ExportTally; preview: ExportLine[] }> {
  const previewSize = options.preview ?? 0;
  // Count both sides, so the split is read off the prompt key once instead of through the settings.
  const unsplit: ExportSettings = { ...settings, split: undefined };
  const counts: ExportTally = { lines: 0, prompts: 0, train: { lines: 0, prompts: 0 }, test: { lines: 0, prompts: 0 } };
  const preview: ExportLine[] = [];
  for await (const batch of batches) {
    for (const prompt of batch) {
      const n = exportLineCount(prompt, unsplit);
      if (n === 0) continue;
      const side = splitOf(splitKeyOf(prompt), settings.testFraction);
      counts[side].lines += n;
      counts[side].prompts++;
      if (settings.split !== undefined && side !== settings.split) continue;
      counts.lines += n;
      counts.prompts++;
      if (preview.length < previewSize) {
        for (const line of exportLinesForPrompt(prompt, unsplit)) {
          if (preview.length >= previewSize) break;
          preview.push(line);
        }
      }
    }
  }
  return { counts, preview };
}
