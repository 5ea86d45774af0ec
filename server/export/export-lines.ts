import { z } from 'zod';
import { aggregations, pairsForPrompt, pairStrategies } from '../ranking/pairs.ts';
import { splitOf } from '../ranking/split.ts';
import { exportFormats, exportFormatSchema, type ExportLine } from './format-registry.ts';
import type { ExportPrompt } from './export-types.ts';

// Query strings send "" for a cleared field; treat it as absent rather than as 0.
const blankToUndefined = (v: unknown): unknown => (v === '' ? undefined : v);
const optionalNumber = (schema: z.ZodNumber) => z.preprocess(blankToUndefined, z.coerce.number().pipe(schema).optional());

// z.coerce.boolean() would read "false" as true; only these spellings are accepted.
const booleanFlag = z.preprocess(
  blankToUndefined,
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'expected true or false' }).transform((v) => v === true || v === 'true' || v === '1').optional(),
);

/** The export query (`GET /api/projects/:id/export?…`, `podium export`); minLabelers has no default here: the route supplies the project's labelers per prompt. */
export const exportSettingsSchema = z.object({
  format: z.preprocess(blankToUndefined, exportFormatSchema.default('trl')),
  strategy: z.preprocess(blankToUndefined, z.enum(pairStrategies).default('all')),
  aggregation: z.preprocess(blankToUndefined, z.enum(aggregations).default('mean-rank')),
  minLabelers: optionalNumber(z.number().int().min(0)),
  minMargin: optionalNumber(z.number().min(0)),
  minAgreement: optionalNumber(z.number().min(0).max(1)),
  split: z.preprocess(blankToUndefined, z.enum(['train', 'test']).optional()),
  testFraction: z.preprocess(blankToUndefined, z.coerce.number().pipe(z.number().min(0).max(1)).default(0.1)),
  metadata: booleanFlag.transform((v) => v ?? true),
});
export type ExportSettings = z.output<typeof exportSettingsSchema>;

/** The settings as the query gave them, with the project's labelers per prompt as the default minLabelers (route and CLI alike). */
export function settingsForProject(query: ExportSettings, project: { labelersPerPrompt: number }): ExportSettings {
  return { ...query, minLabelers: query.minLabelers ?? project.labelersPerPrompt };
}

/** The key a prompt is split by: its external id survives re-imports and does not depend on import order; the row id is the fallback. */
export function splitKeyOf(prompt: Pick<ExportPrompt, 'id' | 'externalId'>): string {
  return prompt.externalId ?? String(prompt.id);
}

/** How many lines `exportLinesForPrompt` gives, without formatting them: the same pairs, no line objects. */
export function exportLineCount(prompt: ExportPrompt, settings: ExportSettings): number {
  if (settings.split !== undefined && splitOf(splitKeyOf(prompt), settings.testFraction) !== settings.split) return 0;
  if (exportFormats[settings.format].unit === 'prompt') {
    const labelers = prompt.rankings.length;
    return labelers === 0 || labelers < (settings.minLabelers ?? 0) ? 0 : 1;
  }
  return pairsForPrompt(prompt, settings).length;
}

/** Every export line of one prompt: nothing if the split leaves it out or too few labelers ranked it. */
export function exportLinesForPrompt(prompt: ExportPrompt, settings: ExportSettings): ExportLine[] {
  if (settings.split !== undefined && splitOf(splitKeyOf(prompt), settings.testFraction) !== settings.split) return [];
  const format = exportFormats[settings.format];
  if (format.unit === 'prompt') {
    const labelers = prompt.rankings.length;
    return labelers === 0 || labelers < (settings.minLabelers ?? 0) ? [] : [format.line(prompt)];
  }
  const pairs = pairsForPrompt(prompt, settings);
  const lines: ExportLine[] = new Array<ExportLine>(pairs.length);
  for (let i = 0; i < pairs.length; i++) lines[i] = format.line(prompt, pairs[i] as (typeof pairs)[number], settings.metadata);
  return lines;
}
