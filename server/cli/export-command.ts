import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { exportSettingsSchema, settingsForProject } from '../export/export-lines.ts';
import { streamExport } from '../export/stream-export.ts';
import { describeSkipped } from '../../shared/export-skip-reasons.ts';
import { withProject } from './open-store.ts';
import { parseArgs, stringOption, UsageError } from './args.ts';

const usage =
  'usage: podium export --project ID [--format trl|trl-chat|hh-rlhf|openai-dpo|rankings] [--strategy all|best-worst|best-vs-rest]\n' +
  '       [--aggregation mean-rank|ranked-pairs] [--min-labelers N] [--min-margin X] [--min-agreement X] [--split train|test] [--test-fraction F] [--no-metadata] [--out FILE]';

/** The CLI's flags, spelled as the API's query, so both go through the same schema and defaults. */
function settingsFrom(args: ReturnType<typeof parseArgs>) {
  const query: Record<string, string> = {};
  const names: [string, string][] = [
    ['format', 'format'], ['strategy', 'strategy'], ['aggregation', 'aggregation'], ['min-labelers', 'minLabelers'], ['min-margin', 'minMargin'],
    ['min-agreement', 'minAgreement'], ['split', 'split'], ['test-fraction', 'testFraction'], ['metadata', 'metadata'],
  ];
  for (const [flag, key] of names) {
    const v = stringOption(args, flag);
    if (v !== undefined) query[key] = v;
  }
  if (args.options.get('no-metadata') === true) query.metadata = 'false';
  return exportSettingsSchema.safeParse(query);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** `podium export`: the same lines as `GET /api/projects/:id/export`, to stdout or --out. */
export async function runExportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const projectId = Number(stringOption(args, 'project'));
  if (!Number.isInteger(projectId) || projectId <= 0) throw new UsageError(usage);
  const parsed = settingsFrom(args);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  return withProject(projectId, async (store, project) => {
    const settings = settingsForProject(parsed.data, project);
    const file = stringOption(args, 'out');
    const out: Writable = file ? createWriteStream(file) : process.stdout;
    const repeated = await store.exportSource.repeatedContexts(project.id, settings);
    const counts = await streamExport(store.exportSource.batches(project.id), settings, (chunk) => write(out, chunk), undefined, repeated);
    if (file) {
      out.end();
      await once(out, 'finish');
    }
    await store.audit.record(null, 'project.export', String(project.id), { ...settings, via: 'cli' });
    console.error(`${counts.lines} lines from ${counts.prompts} prompts`);
    const skipped = describeSkipped(counts.skipped);
    if (skipped.length) console.error(`left out:\n${skipped.map((s) => `  ${s.text} (${s.reason})`).join('\n')}`);
    return 0;
  });
}
