import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { exportSettingsSchema, settingsForProject, exportReadFor, type ExportSettings } from '../export/export-lines.ts';
import type { ExportRead } from '../export/export-types.ts';
import { streamExport, type ExportCounts } from '../export/stream-export.ts';
import { datasetFiles } from '../export/dataset-card.ts';
import { addSkipped, datasetCardFor } from '../export/dataset-card-source.ts';
import type { SkippedCounts } from '../../shared/export-skips.ts';
import type { Store } from '../store/store.ts';
import type { Project } from '../../shared/projects.ts';
import { describeSkipped } from '../../shared/export-skip-reasons.ts';
import { withProject } from './open-store.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { commandHelp, defineCommand, parseCommand, usageError, type ParsedCommand } from './args.ts';

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'The same lines as the export API, to stdout or --out FILE; stderr says how many lines, and what was left out and why.',
  usage: [
    '--project ID [--criterion KEY|combined] [--sources human|judge|human,judge] [--format F] [--strategy S] [--aggregation A] [--min-labelers N] [--min-margin X] [--min-agreement X] [--split train|test] [--test-fraction F] [--no-metadata] [--out FILE | --dataset-dir DIR]',
  ],
  options: {
    project: { type: 'string', value: 'ID', description: 'the project to export' },
    criterion: { type: 'string', value: 'KEY', description: "the criterion whose rankings give the pairs, or combined (default: the project's first)" },
    format: { type: 'string', value: 'F', description: 'trl | trl-chat | hh-rlhf | openai-dpo | rankings (default trl)' },
    strategy: { type: 'string', value: 'S', description: 'all | best-worst | best-vs-rest (default all)' },
    aggregation: { type: 'string', value: 'A', description: 'mean-rank | ranked-pairs (default mean-rank)' },
    'min-labelers': { type: 'string', value: 'N', description: "counted rankings a prompt needs (default: the project's R)" },
    'min-margin': { type: 'string', value: 'X', description: 'smallest mean-rank margin of a pair (default: any above 0)' },
    'min-agreement': { type: 'string', value: 'X', description: 'smallest labeler agreement of a pair, 0–1 (default 0)' },
    split: { type: 'string', value: 'train|test', description: 'keep one side of the prompt-grouped split' },
    'test-fraction': { type: 'string', value: 'F', description: 'share of prompts on the test side (default 0.1)' },
    metadata: { type: 'string', value: 'true|false', description: 'the podium provenance object on each line (default true)' },
    'no-metadata': { type: 'boolean', description: 'the same as --metadata false' },
    sources: { type: 'string', value: 'human|judge|human,judge', description: 'whose rankings make the pairs (default human; AI judges only when named)' },
    out: { type: 'string', value: 'FILE', description: 'write the lines to FILE instead of stdout' },
    'dataset-dir': { type: 'string', value: 'DIR', description: 'write DIR/train.jsonl, DIR/test.jsonl and a Hugging Face dataset card DIR/README.md' },
  },
});

type ExportArgs = ParsedCommand<typeof exportCommand.options>;
/** The criterion the export reads the rankings under, with the project's criteria and whose rankings. */
type ExportView = ExportRead;

/** The CLI's flags, spelled as the API's query, so both go through the same schema and defaults. */
function settingsFrom({ values }: ExportArgs) {
  const query: Record<string, string> = {};
  const names: [keyof ExportArgs['values'], string][] = [
    ['criterion', 'criterion'], ['format', 'format'], ['strategy', 'strategy'], ['aggregation', 'aggregation'], ['min-labelers', 'minLabelers'], ['min-margin', 'minMargin'],
    ['min-agreement', 'minAgreement'], ['split', 'split'], ['test-fraction', 'testFraction'], ['metadata', 'metadata'], ['sources', 'sources'],
  ];
  for (const [flag, key] of names) {
    const v = values[flag];
    if (typeof v === 'string') query[key] = v;
  }
  if (values['no-metadata'] === true) query.metadata = 'false';
  return exportSettingsSchema.safeParse(query);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** `podium export`: the same lines as `GET /api/projects/:id/export`, to stdout or --out. */
export async function runExportCommand(argv: string[]): Promise<number> {
  const args = parseCommand(exportCommand, argv);
  if (args === 'help') {
    console.log(commandHelp(exportCommand));
    return 0;
  }
  const projectId = Number(args.values.project);
  if (!Number.isInteger(projectId) || projectId <= 0) throw usageError(exportCommand, '--project ID is required');
  const parsed = settingsFrom(args);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  const datasetDir = args.values['dataset-dir'];
  if (datasetDir !== undefined && (args.values.out !== undefined || parsed.data.split !== undefined)) {
    throw usageError(exportCommand, '--dataset-dir writes both splits to their own files: leave out --out and --split');
  }
  return withProject(projectId, async (store, project) => {
    const settings = settingsForProject(parsed.data, project);
    const picked = selectCriterion(project.criteria, settings.criterion);
    if (!picked.ok) {
      console.error(`--criterion: ${picked.message}`);
      return 2;
    }
    const view = exportReadFor(settings, project, picked.selection);
    if (datasetDir !== undefined) return writeDatasetDir(store, project, view, settings, datasetDir);
    const file = args.values.out;
    const out: Writable = file ? createWriteStream(file) : process.stdout;
    const repeated = await store.exportSource.repeatedContexts(project.id, settings);
    const counts = await streamExport(store.exportSource.batches(project.id, view), settings, (chunk) => write(out, chunk), undefined, repeated);
    if (file) {
      out.end();
      await once(out, 'finish');
    }
    await store.audit.record(null, 'project.export', String(project.id), { ...settings, via: 'cli' });
    console.error(`${counts.lines} lines from ${counts.prompts} prompts`);
    reportSkipped(counts.skipped);
    return 0;
  });
}

function reportSkipped(counts: SkippedCounts): void {
  const skipped = describeSkipped(counts);
  if (skipped.length) console.error(`left out:\n${skipped.map((s) => `  ${s.text} (${s.reason})`).join('\n')}`);
}

/** Streams the export to a file, exactly as to stdout, and says what it wrote. */
async function exportToFile(store: Store, project: Project, view: ExportView, settings: ExportSettings, file: string): Promise<ExportCounts> {
  const out = createWriteStream(file);
  const repeated = await store.exportSource.repeatedContexts(project.id, settings);
  const counts = await streamExport(store.exportSource.batches(project.id, view), settings, (chunk) => write(out, chunk), undefined, repeated);
  out.end();
  await once(out, 'finish');
  return counts;
}

/** `--dataset-dir DIR`: the `split=train` and `split=test` exports as DIR/train.jsonl and DIR/test.jsonl, and their dataset card. */
async function writeDatasetDir(store: Store, project: Project, view: ExportView, settings: ExportSettings, dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const train = await exportToFile(store, project, view, { ...settings, split: 'train' }, join(dir, datasetFiles.train));
  const test = await exportToFile(store, project, view, { ...settings, split: 'test' }, join(dir, datasetFiles.test));
  const skipped = addSkipped(train.skipped, test.skipped);
  writeFileSync(join(dir, datasetFiles.card), await datasetCardFor(store, project, view.selection, settings, { train, test }, skipped));
  store.audit.record(null, 'project.export', String(project.id), { ...settings, via: 'cli', datasetDir: dir });
  console.error(`${dir}: ${train.lines} train lines from ${train.prompts} prompts, ${test.lines} test lines from ${test.prompts} prompts, and ${datasetFiles.card}`);
  reportSkipped(skipped);
  return 0;
}
