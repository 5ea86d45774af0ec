import { z } from 'zod';
import { criterionQuerySchema } from '../../shared/criteria.ts';
import type { SkippedCounts, SkipReason } from '../../shared/export-skips.ts';
import { sameNormalised } from '../../shared/normalise-text.ts';
import { aggregations, pairsForPrompt, pairStrategies, type PairDrops, type PromptPair } from '../ranking/pairs.ts';
import { promptContentKey, splitOf, type SplitSide } from '../ranking/split.ts';
import { exportFormats, exportFormatSchema, type ExportLine } from './format-registry.ts';
import { hasTurnMarker } from './formats/hh-rlhf.ts';
import { responseOf } from './formats/podium-provenance.ts';
import type { ExportPrompt, ExportRead } from './export-types.ts';
import { sourcesQuerySchema } from '../../shared/sources.ts';
import type { Project } from '../../shared/projects.ts';
import type { CriterionSelection } from '../ranking/criterion-selection.ts';

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
  // A criterion key of the project (default: its first), or "combined"; the route answers an unknown key with a 400.
  criterion: z.preprocess(blankToUndefined, criterionQuerySchema),
  // Whose rankings: human (default), judge, or human,judge (docs/judges.md).
  sources: sourcesQuerySchema,
});
export type ExportSettings = z.output<typeof exportSettingsSchema>;

/**
/**
 * The settings as the query gave them, with the project's labelers per prompt as the default minLabelers and its first
 * criterion as the default criterion (route and CLI alike); judges alone (`sources=judge`) default minLabelers to 1,
 * since a project may have a single judge.
 */
export function settingsForProject(query: ExportSettings, project: { labelersPerPrompt: number; criteria?: readonly { key: string }[] }): ExportSettings {
  return {
    ...query,
    minLabelers: query.minLabelers ?? (query.sources.includes('human') ? project.labelersPerPrompt : 1),
    criterion: query.criterion ?? project.criteria?.[0]?.key,
  };
}

/** What the export source reads for these settings: the selected criterion (selectCriterion of `settings.criterion`) and whose rankings. */
export function exportReadFor(settings: Pick<ExportSettings, 'sources'>, project: Pick<Project, 'criteria'>, selection: CriterionSelection): ExportRead {
  return { selection, criteria: project.criteria, sources: settings.sources };
}

/** The key a prompt is split by: its normalised conversation (promptContentKey), so identical prompts share a side whatever their ids. */
export function splitKeyOf(prompt: Pick<ExportPrompt, 'messages'>): string {
  return promptContentKey(prompt.messages);
}

export function splitSideOf(prompt: Pick<ExportPrompt, 'messages'>, testFraction: number): SplitSide {
  return splitOf(splitKeyOf(prompt), testFraction);
}

/**
 * What one pass over one file carries from prompt to prompt: what it left out and why, and the lines already written
 * where a line could repeat. Only without metadata can two lines be identical (the provenance names the prompt and
 * the responses); across prompts only when their contexts are (`repeatedContexts`: the contexts more than one prompt
 * of the project renders, which the store finds in SQL), so the memory is that of the repeats, not of the file.
 */
export type ExportPass = { skipped: SkippedCounts; repeatedContexts: ReadonlySet<string>; seenLines: Set<string> };

export function exportPass(repeatedContexts: ReadonlySet<string> = new Set()): ExportPass {
  return { skipped: {}, repeatedContexts, seenLines: new Set() };
}

function skip(pass: ExportPass, reason: SkipReason, count = 1): void {
  if (count > 0) pass.skipped[reason] = (pass.skipped[reason] ?? 0) + count;
}

/** Why a whole prompt is left out before any pair is looked at, or null if it is not. */
export function promptSkipReason(prompt: ExportPrompt, settings: Pick<ExportSettings, 'minLabelers'>): SkipReason | null {
  if (prompt.excluded) return 'prompt-excluded';
  const counted = prompt.rankings.length;
  const notRankable = prompt.notRankable ?? 0;
  const excludedRankings = prompt.excludedRankings ?? 0;
  if (counted === 0 && notRankable === 0 && excludedRankings === 0) return 'unlabeled';
  if (notRankable > counted) return 'not-rankable';
  const needed = Math.max(1, settings.minLabelers ?? 0);
  if (counted < needed) return counted + excludedRankings >= needed ? 'rankings-excluded' : 'below-min-labelers';
  return null;
}

/** The pairs of a pair format that pass every rule but the duplicate check, counting what falls out on the way. */
function keptPairs(prompt: ExportPrompt, settings: ExportSettings, pass: ExportPass): PromptPair[] {
  const drops: PairDrops = { minMargin: 0, minAgreement: 0 };
  const pairs = pairsForPrompt(prompt, settings, drops);
  skip(pass, 'below-min-margin', drops.minMargin);
  skip(pass, 'below-min-agreement', drops.minAgreement);
  // With enough labelers, only a consensus that is one tie gives no pair before the filters.
  if (pairs.length === 0 && drops.minMargin + drops.minAgreement === 0) skip(pass, 'consensus-tied');
  const hh = settings.format === 'hh-rlhf';
  const contextMarked = hh && prompt.messages.some((m) => hasTurnMarker(m.content));
  let kept = 0;
  for (const pair of pairs) {
    const chosen = responseOf(prompt, pair.chosen).text;
    const rejected = responseOf(prompt, pair.rejected).text;
    if (sameNormalised(chosen, rejected)) skip(pass, 'same-text');
    else if (hh && (contextMarked || hasTurnMarker(chosen) || hasTurnMarker(rejected))) skip(pass, 'unrepresentable');
    else pairs[kept++] = pair;
  }
  pairs.length = kept;
  return pairs;
}

/** Where visitPrompt puts the lines it keeps: as objects (the preview), as JSON text (the file), or nowhere (counting). */
type LineSink = { lines?: ExportLine[]; json?: string[] };

/**
 * Every line one prompt contributes to the file, into `out`. Returns how many lines it kept; without `out` it formats
 * nothing it does not have to, so counting stays cheap. A prompt on the other side of the split is not a skip: it
 * belongs to the other file.
 */
function visitPrompt(prompt: ExportPrompt, settings: ExportSettings, pass: ExportPass, out?: LineSink): number {
  if (settings.split !== undefined && splitSideOf(prompt, settings.testFraction) !== settings.split) return 0;
  const reason = promptSkipReason(prompt, settings);
  if (reason !== null) {
    skip(pass, reason);
    return 0;
  }
  const format = exportFormats[settings.format];
  if (format.unit === 'prompt') {
    if (out?.lines) out.lines.push(format.line(prompt));
    if (out?.json) out.json.push(JSON.stringify(format.line(prompt)));
    return 1;
  }
  const pairs = keptPairs(prompt, settings, pass);
  if (pairs.length === 0) return 0;
  if (settings.metadata) {
    if (out?.lines) for (const pair of pairs) out.lines.push(format.line(prompt, pair, true));
    if (out?.json) {
      const json = format.json(prompt);
      for (const pair of pairs) out.json.push(json(pair, true));
    }
    return pairs.length;
  }
  const seen = pass.repeatedContexts.size > 0 && pass.repeatedContexts.has(format.context(prompt.messages)) ? pass.seenLines : new Set<string>();
  const json = format.json(prompt);
  let kept = 0;
  for (const pair of pairs) {
    const text = json(pair, false);
    if (seen.has(text)) {
      skip(pass, 'duplicate-line');
      continue;
    }
    seen.add(text);
    kept++;
    if (out?.lines) out.lines.push(format.line(prompt, pair, false));
    if (out?.json) out.json.push(text);
  }
  return kept;
}

/** How many lines `exportLinesForPrompt` gives, formatting only what the duplicate check needs. */
export function exportLineCount(prompt: ExportPrompt, settings: ExportSettings, pass: ExportPass = exportPass()): number {
  return visitPrompt(prompt, settings, pass);
}

/** Every export line of one prompt, as objects (the summary's preview); what it leaves out is counted in `pass`. */
export function exportLinesForPrompt(prompt: ExportPrompt, settings: ExportSettings, pass: ExportPass = exportPass()): ExportLine[] {
  const lines: ExportLine[] = [];
  visitPrompt(prompt, settings, pass, { lines });
  return lines;
}

/** Every export line of one prompt as JSON text, ready for the file: the same text as JSON.stringify of each of `exportLinesForPrompt`. */
export function exportJsonForPrompt(prompt: ExportPrompt, settings: ExportSettings, pass: ExportPass): string[] {
  const json: string[] = [];
  visitPrompt(prompt, settings, pass, { json });
  return json;
}
