import { z } from 'zod';
import { skippedCountsSchema } from './export-skips.ts';

export const sideCountsSchema = z.object({ lines: z.number().int(), prompts: z.number().int() });

/**
 * What an export with these settings holds: `lines`/`prompts` as the stream would write them, each split side's share,
 * and `skipped`: what the file (one side only when `split` is given) leaves out, by reason.
 */
export const exportTallySchema = z.object({ lines: z.number().int(), prompts: z.number().int(), train: sideCountsSchema, test: sideCountsSchema, skipped: skippedCountsSchema });

/** `GET …/export/summary`: the tally, the test fraction it split by, and the first lines as the file has them. */
export const exportSummarySchema = exportTallySchema.extend({
  testFraction: z.number(),
  preview: z.array(z.record(z.string(), z.unknown())).describe('the first lines of the file, one object per line, in the chosen format'),
});

/** The agreement figures a dataset card quotes, named as in the agreement report. */
export const headlineAgreementSchema = z.object({
  prompts: z.number().int(),
  rankings: z.number().int(),
  pairwiseAgreement: z.number().nullable(),
  kendallW: z.object({ mean: z.number().nullable() }),
  krippendorffAlpha: z.object({ ordinal: z.number().nullable(), interval: z.number().nullable() }),
});

/** `GET …/export/manifest`: what to keep beside an exported file to trace it to its project, settings and labels' quality. */
export const exportManifestSchema = z.object({
  podiumVersion: z.string(),
  generatedAt: z.string(),
  project: z.object({ id: z.number().int(), name: z.string(), K: z.number().int(), R: z.number().int() }),
  // The settings schema (with its query-string preprocessing) lives with the export code; here, what the answer holds.
  settings: z.record(z.string(), z.unknown()).describe('the export settings as applied (the query with its defaults, minLabelers filled in)'),
  /** total and prompts: what the settings export; train and test: the lines on each side of the split at the settings' testFraction. */
  counts: z.object({ total: z.number().int(), train: z.number().int(), test: z.number().int(), prompts: z.number().int() }),
  /** What the file leaves out, by reason (prompt reasons count prompts, pair reasons pairs). */
  skipped: skippedCountsSchema,
  agreement: headlineAgreementSchema,
});
