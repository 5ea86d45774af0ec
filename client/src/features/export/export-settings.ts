import { chosenSources, defaultSources, sourcesQuery, type SourcesChoice } from '../../components/source-choice.ts';

/** The export page's settings as the query string carries them: the page, the download link and the curl command share one spelling. */
export type ExportForm = {
  format: FormatName;
  strategy: StrategyName;
  aggregation: AggregationName;
  minLabelers: string;
  minMargin: string;
  minAgreement: string;
  split: '' | 'train' | 'test';
  testFraction: string;
  metadata: boolean;
  /** A criterion key or "combined"; '' for the project's first criterion (the server's default). */
  criterion: string;
  /** Whose rankings the pairs come from: the labelers' (the server's default), the AI judges', or both. */
  sources: SourcesChoice;
};

export const formats = [
  { name: 'trl', reader: 'TRL RewardTrainer / DPOTrainer', about: 'prompt, chosen and rejected as plain strings, with the margin' },
  { name: 'trl-chat', reader: 'TRL RewardTrainer / DPOTrainer, chat template', about: 'the same as message lists, so the trainer applies the model\u2019s chat template' },
  { name: 'hh-rlhf', reader: 'hh-rlhf style', about: 'chosen and rejected as whole Human/Assistant transcripts' },
  { name: 'openai-dpo', reader: 'OpenAI DPO fine-tuning', about: 'input messages, preferred and non-preferred output; turn metadata off before uploading' },
  { name: 'rankings', reader: 'listwise / Plackett\u2013Luce', about: 'one line per prompt with every response, its mean rank and each labeler\u2019s ranks' },
] as const;
export type FormatName = (typeof formats)[number]['name'];

// `short` fits a select's option at the settings column's width; `about` is shown in full under the select.
export const strategies = [
  { name: 'all', short: 'every ordered pair (default)', about: 'every pair with a better mean rank, up to K(K\u22121)/2 per prompt (InstructGPT)' },
  { name: 'best-worst', short: 'best against worst', about: 'the best response(s) against the worst' },
  { name: 'best-vs-rest', short: 'best against each other', about: 'the best response(s) against every other' },
] as const;
export type StrategyName = (typeof strategies)[number]['name'];

export const aggregations = [
  { name: 'mean-rank', short: 'by mean rank (default)', about: 'order responses by their mean rank over the labelers (default)' },
  { name: 'ranked-pairs', short: 'Tideman\u2019s ranked pairs', about: 'order them by Tideman\u2019s ranked pairs, as Open-Assistant merges rankings: a response most labelers prefer wins even where a few strong votes pull its mean down' },
] as const;
export type AggregationName = (typeof aggregations)[number]['name'];

export const defaultForm: ExportForm = { format: 'trl', strategy: 'all', aggregation: 'mean-rank', minLabelers: '', minMargin: '', minAgreement: '', split: '', testFraction: '0.1', metadata: true, criterion: '', sources: defaultSources };

/** The numeric settings the form checks before asking the server, so a typo shows a sentence, not a 400. */
export type FormProblems = Partial<Record<'minLabelers' | 'minMargin' | 'minAgreement' | 'testFraction', string>>;

/** What is wrong with the typed numbers, by field; blank fields are fine (the server's default applies). Same bounds as the server's schema. */
export function formProblems(form: ExportForm): FormProblems {
  const problems: FormProblems = {};
  const value = (v: string): number | null => (v.trim() === '' ? null : Number(v));
  const labelers = value(form.minLabelers);
  if (labelers !== null && !(Number.isInteger(labelers) && labelers >= 0)) problems.minLabelers = 'Min labelers must be a whole number, 0 or more';
  const margin = value(form.minMargin);
  if (margin !== null && !(margin >= 0)) problems.minMargin = 'Min margin must be 0 or more';
  const agreement = value(form.minAgreement);
  if (agreement !== null && !(agreement >= 0 && agreement <= 1)) problems.minAgreement = 'Min agreement must be between 0 and 1';
  const fraction = value(form.testFraction);
  if (fraction !== null && !(fraction >= 0 && fraction <= 1)) problems.testFraction = 'Test fraction must be between 0 and 1';
  return problems;
}

const isFormat = (v: string | null): v is FormatName => formats.some((f) => f.name === v);
const isStrategy = (v: string | null): v is StrategyName => strategies.some((s) => s.name === v);
const isAggregation = (v: string | null): v is AggregationName => aggregations.some((a) => a.name === v);

/** Reads the form from the page's URL, so a reload or a shared link shows the same export. */
export function formFromParams(params: URLSearchParams): ExportForm {
  const format = params.get('format');
  const strategy = params.get('strategy');
  const aggregation = params.get('aggregation');
  const split = params.get('split');
  return {
    format: isFormat(format) ? format : defaultForm.format,
    strategy: isStrategy(strategy) ? strategy : defaultForm.strategy,
    aggregation: isAggregation(aggregation) ? aggregation : defaultForm.aggregation,
    minLabelers: params.get('minLabelers') ?? '',
    minMargin: params.get('minMargin') ?? '',
    minAgreement: params.get('minAgreement') ?? '',
    split: split === 'train' || split === 'test' ? split : '',
    testFraction: params.get('testFraction') ?? defaultForm.testFraction,
    metadata: params.get('metadata') !== 'false',
    // Checked by the server: an unknown key is a 400 that names it, shown beside the form.
    criterion: params.get('criterion') ?? '',
    // Before the judges load: the server answers for a project without any (no pairs, each prompt's reason listed).
    sources: chosenSources(params.get('sources'), undefined),
  };
}

/** The export query: the format always (scripts read better with it), everything else only where it differs from the server's default. */
export function exportQuery(form: ExportForm): Record<string, string> {
  const query: Record<string, string> = { format: form.format };
  if (form.criterion) query.criterion = form.criterion;
  Object.assign(query, sourcesQuery(form.sources));
  if (form.strategy !== defaultForm.strategy) query.strategy = form.strategy;
  if (form.aggregation !== defaultForm.aggregation) query.aggregation = form.aggregation;
  for (const key of ['minLabelers', 'minMargin', 'minAgreement'] as const) if (form[key].trim() !== '') query[key] = form[key].trim();
  if (form.split) query.split = form.split;
  // The split is only reproducible with its fraction, so it goes along whenever a side is chosen.
  if (form.split || form.testFraction.trim() !== defaultForm.testFraction) query.testFraction = form.testFraction.trim();
  if (!form.metadata) query.metadata = 'false';
  return query;
}

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "1 prompt", "13 prompts": a count with its noun, for every count the page shows. */

export const queryString = (query: Record<string, string>): string => new URLSearchParams(query).toString();

/** The file name the server's content-disposition gives, for curl's -o. */
export const exportFileName = (projectId: number, form: ExportForm): string => `podium-${projectId}-${form.format}${form.split ? `-${form.split}` : ''}.jsonl`;

/** A command an engineer can paste into a shell: the token stays in the environment, never in the history. */
export function curlCommand(origin: string, projectId: number, form: ExportForm): string {
  const url = `${origin}/api/projects/${projectId}/export?${queryString(exportQuery(form))}`;
  return `curl -fsS -H "Authorization: Bearer $PODIUM_TOKEN" \\\n  "${url}" \\\n  -o ${exportFileName(projectId, form)}`;
}
