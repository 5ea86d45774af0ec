import { describeSkipped } from '../../shared/export-skip-reasons.ts';
import type { SkippedCounts } from '../../shared/export-skips.ts';
import type { AgreementReport } from '../metrics/agreement-report.ts';
import type { BootstrapInterval } from '../metrics/bootstrap.ts';
import type { ExportSettings } from './export-lines.ts';
import { combinedCriterion, type Criterion } from '../../shared/criteria.ts';

/** The files of a dataset folder, as the card's `configs` names them and the CLI writes them. */
export const datasetFiles = { train: 'train.jsonl', test: 'test.jsonl', card: 'README.md' } as const;

export type DatasetCardInput = {
  podiumVersion: string;
  generatedAt: Date;
  project: { id: number; name: string; responsesPerPrompt: number; labelersPerPrompt: number; allowTies: boolean; criteria?: readonly Criterion[] };
  /** The export settings both files were written with (their split aside). */
  settings: ExportSettings;
  sides: Record<'train' | 'test', { lines: number; prompts: number }>;
  skipped: SkippedCounts;
  agreement: Pick<AgreementReport, 'prompts' | 'rankings' | 'pairwiseAgreement' | 'kendallW' | 'krippendorffAlpha' | 'labelers' | 'intervals'>;
  /** When the counted rankings were submitted (ms since the epoch); null without any. */
  labeled: { first: number | null; last: number | null };
};

/** The Hub's size buckets, by the number of lines in all splits. */
function sizeCategory(lines: number): string {
  const buckets: [number, string][] = [[1e3, 'n<1K'], [1e4, '1K<n<10K'], [1e5, '10K<n<100K'], [1e6, '100K<n<1M'], [1e7, '1M<n<10M']];
  for (const [limit, name] of buckets) if (lines < limit) return name;
  return '10M<n<100M';
}

/** A YAML string scalar: JSON's double-quoted strings are valid YAML, so no YAML writer is needed for a few fields. */
const yamlString = (s: string): string => JSON.stringify(s);

const figure = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
const withInterval = (x: number | null, ci: BootstrapInterval | null | undefined): string =>
  ci ? `${figure(x)} (${Math.round(ci.level * 100)}% interval ${figure(ci.low)}–${figure(ci.high)}, ${ci.resamples} bootstrap resamples of prompts)` : figure(x);
const day = (ms: number | null): string => (ms === null ? 'n/a' : new Date(ms).toISOString().slice(0, 10));

const cell = (s: string): string => s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/** The criteria the labelers ranked by, and which one (or the weighted mean of all) these pairs come from. */
function criteriaSection(criteria: readonly Criterion[], exported: string | undefined): string[] {
  if (criteria.length === 0) return [];
  const which = exported === combinedCriterion
    ? 'These pairs follow the weighted mean of the criteria\'s mean ranks (`combined`).'
    : `These pairs follow the criterion \`${exported ?? criteria[0]?.key ?? ''}\`${criteria.length > 1 ? '; the other criteria give files of their own' : ''}.`;
  return [
    '',
    `The labelers ranked the responses once per criterion (${criteria.length}). ${which}`,
    '',
    '| criterion | name | weight | description |',
    '| --- | --- | --- | --- |',
    ...criteria.map((c) => `| \`${c.key}\` | ${cell(c.name)} | ${c.weight} | ${cell(c.description) || '–'} |`),
  ];
}

/**
 * A Hugging Face dataset card (README.md) for a folder holding train.jsonl and test.jsonl: YAML front matter whose
 * `configs` declares the two files as the splits, so `datasets.load_dataset(DIR)` gives them as they are, and a body
 * that says how the data was made and how far its labelers agreed.
 */
export function datasetCard(input: DatasetCardInput): string {
  const { project, settings, sides, agreement } = input;
  const total = sides.train.lines + sides.test.lines;
  const front = [
    '---',
    'configs:',
    '- config_name: default',
    '  data_files:',
    `  - split: train`,
    `    path: ${datasetFiles.train}`,
    `  - split: test`,
    `    path: ${datasetFiles.test}`,
    // The labels belong to whoever ran the project; the card cannot know their licence.
    'license: other',
    'task_categories:',
    '- text-generation',
    'tags:',
    '- preference',
    '- rlhf',
    '- reward-modeling',
    `- ${settings.format}`,
    '- podium',
    'size_categories:',
    `- ${sizeCategory(total)}`,
    `pretty_name: ${yamlString(project.name)}`,
    '---',
  ];
  const skipped = describeSkipped(input.skipped);
  const ci = agreement.intervals;
  const settingsRows: [string, string][] = [
    ...(settings.criterion === undefined ? [] : [['criterion', settings.criterion] as [string, string]]),
    // Judge rankings are not human labels: a reader of the card must see whether any went into these pairs.
    ['rankings from', settings.sources.map((s) => (s === 'judge' ? 'AI judges' : 'human labelers')).join(' and ')],
    ['format', settings.format],
    ['strategy', settings.strategy],
    ['aggregation', settings.aggregation],
    ['min labelers', String(settings.minLabelers ?? project.labelersPerPrompt)],
    ['min margin', settings.minMargin === undefined ? 'any above 0' : String(settings.minMargin)],
    ['min agreement', String(settings.minAgreement ?? 0)],
    ['test fraction', String(settings.testFraction)],
    ['provenance (`podium` object)', settings.metadata ? 'yes' : 'no'],
  ];
  const body = [
    '',
    `# ${project.name}`,
    '',
    `Reward-model comparison data exported by Podium ${input.podiumVersion} from project ${project.id} ("${project.name}") on ${input.generatedAt.toISOString()}.`,
    '',
    '## How it was made',
    '',
    `Each prompt had K = ${project.responsesPerPrompt} responses. Each of R = ${project.labelersPerPrompt} labelers per prompt ranked them best first (${project.allowTies ? 'ties allowed' : 'no ties'});`,
    `${agreement.labelers.length} labelers gave ${agreement.rankings} counted rankings of ${agreement.prompts} prompts between ${day(input.labeled.first)} and ${day(input.labeled.last)}.`,
    "Podium averaged each response's fractional ranks into its mean rank; a pair (chosen, rejected) has the lower mean rank chosen.",
    ...criteriaSection(project.criteria ?? [], settings.criterion),
    'All pairs of one prompt are on the same side of the train/test split (by a hash of the prompt content), so no prompt is in both splits.',
    '',
    '| split | file | lines | prompts |',
    '| --- | --- | --- | --- |',
    `| train | ${datasetFiles.train} | ${sides.train.lines} | ${sides.train.prompts} |`,
    `| test | ${datasetFiles.test} | ${sides.test.lines} | ${sides.test.prompts} |`,
    '',
    '### Export settings',
    '',
    '| setting | value |',
    '| --- | --- |',
    ...settingsRows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '### Left out',
    '',
    ...(skipped.length ? skipped.map((s) => `- ${s.text} (\`${s.reason}\`)`) : ['Nothing was left out.']),
    '',
    `## Agreement between labelers${settings.criterion === undefined ? '' : ` (criterion \`${settings.criterion}\`)`}`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| pairwise agreement (InstructGPT reported ~0.73) | ${withInterval(agreement.pairwiseAgreement, ci?.pairwiseAgreement)} |`,
    `| Kendall's W, mean over prompts | ${figure(agreement.kendallW.mean)} |`,
    `| Krippendorff's alpha, ordinal | ${withInterval(agreement.krippendorffAlpha.ordinal, ci?.krippendorffAlpha.ordinal)} |`,
    `| Krippendorff's alpha, interval | ${withInterval(agreement.krippendorffAlpha.interval, ci?.krippendorffAlpha.interval)} |`,
    '',
    'The figures are defined in Podium\'s docs/metrics.md. Each line\'s format is described in docs/formats.md.',
    '',
  ];
  return [...front, ...body].join('\n');
}
