import type { z } from 'zod';
import type { exportTallySchema, sideCountsSchema } from '../../shared/export-reports.ts';
import type { ExportLine } from './format-registry.ts';
import type { ExportPrompt } from './export-types.ts';
import { exportLineCount, exportLinesForPrompt, exportPass, splitSideOf, type ExportPass, type ExportSettings } from './export-lines.ts';

export type SideCounts = z.infer<typeof sideCountsSchema>;
export type ExportTally = z.infer<typeof exportTallySchema>;

export type TallyOptions = {
  /** How many of the first lines to keep, formatted exactly as the stream writes them. */
  preview?: number;
  /** See ExportPass; only needed with metadata=false. */
  repeatedContexts?: ReadonlySet<string>;
};

/**
 * One pass over the export's batches that counts lines without formatting them where it can (the pairs are still
 * computed), per split side whatever `settings.split` keeps, and formats only the first `preview` lines. The counts
 * and skips equal what `streamExport` writes for the same settings.
 */
export async function tallyExport(
  batches: Iterable<ExportPrompt[]> | AsyncIterable<ExportPrompt[]>,
  settings: ExportSettings,
  options: TallyOptions = {},
): Promise<{ counts: ExportTally; preview: ExportLine[] }> {
  const previewSize = options.preview ?? 0;
  // Count both sides, so the split is read off the prompt once instead of through the settings.
  const unsplit: ExportSettings = { ...settings, split: undefined };
  // Each side is a file of its own (its own skips and duplicates) when a split is asked for; otherwise one file holds both.
  const whole = exportPass(options.repeatedContexts);
  const passes: Record<'train' | 'test', ExportPass> = settings.split === undefined ? { train: whole, test: whole } : { train: exportPass(options.repeatedContexts), test: exportPass(options.repeatedContexts) };
  const counts: ExportTally = { lines: 0, prompts: 0, train: { lines: 0, prompts: 0 }, test: { lines: 0, prompts: 0 }, skipped: {} };
  const preview: ExportLine[] = [];
  for await (const batch of batches) {
    for (const prompt of batch) {
      const side = splitSideOf(prompt, settings.testFraction);
      const pass = passes[side];
      const inFile = settings.split === undefined || side === settings.split;
      const wantPreview = inFile && preview.length < previewSize;
      // The preview's lines go through the same pass, so they are counted (and deduplicated) exactly once.
      const n = wantPreview ? previewLines(prompt, unsplit, pass, preview, previewSize) : exportLineCount(prompt, unsplit, pass);
      if (n === 0) continue;
      counts[side].lines += n;
      counts[side].prompts++;
      if (!inFile) continue;
      counts.lines += n;
      counts.prompts++;
    }
  }
  counts.skipped = settings.split === undefined ? whole.skipped : passes[settings.split].skipped;
  return { counts, preview };
}

function previewLines(prompt: ExportPrompt, settings: ExportSettings, pass: ExportPass, preview: ExportLine[], size: number): number {
  const lines = exportLinesForPrompt(prompt, settings, pass);
  for (const line of lines) {
    if (preview.length >= size) break;
    preview.push(line);
  }
  return lines.length;
}
