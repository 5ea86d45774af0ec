import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { idSchema, rankingSchema, type Id } from '../../shared/ranking.ts';
import { agreementReport, type RankingRecord } from '../metrics/agreement-report.ts';
import { withGoldScores } from '../quality/gold-score.ts';
import { commandHelp, defineCommand, parseCommand, UsageError } from './args.ts';
import { withProject } from './open-store.ts';
import { allCriteria } from '../../shared/criteria.ts';
import { criteriaAgreement } from '../metrics/criteria-agreement.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';

export const agreementCommand = defineCommand({
  name: 'agreement',
  summary: 'Every agreement figure, as one JSON object: for rankings gathered anywhere (one {"prompt", "labeler", "ranking"} per line, or the rankings export), or for a project.',
  usage: ['(--rankings FILE.jsonl | --project ID) [--criterion KEY|combined|all] [--bootstrap N]'],
  options: {
    rankings: { type: 'string', value: 'FILE', description: 'read the rankings from this JSONL file' },
    project: { type: 'string', value: 'ID', description: "read a project's counted rankings from the database instead" },
    criterion: { type: 'string', value: 'KEY', description: "with --project: the criterion's figures (default: the first), combined, or all: each criterion's headline figures side by side" },
    bootstrap: { type: 'string', value: 'N', description: 'resamples for the 95% intervals (default 0: none)' },
  },
});

const rankingLineSchema = z.object({
  prompt: idSchema,
  labeler: idSchema,
  ranking: rankingSchema,
  shownFirst: idSchema.optional(),
  durationMs: z.number().nonnegative().optional(),
  flagged: z.boolean().optional(),
});

/** A line of Podium's own `rankings` export: each labeler's fractional ranks of `responses[i]` (null: not ranked). */
const rankingsExportLineSchema = z.object({
  promptId: idSchema,
  responses: z.array(z.object({ id: idSchema })).min(1),
  rankings: z.array(z.object({ labeler: idSchema, ranks: z.array(z.number().nullable()) })),
});

type LineError = { line: number; message: string };

/**
 * The rankings a `rankings` export line holds, as tiers: a labeler's equal fractional ranks are one tier (distinct
 * tiers always have distinct fractional ranks), best first; responses they did not rank are left out.
 */
function recordsOfExportLine(line: z.infer<typeof rankingsExportLineSchema>): RankingRecord[] | string {
  const records: RankingRecord[] = [];
  for (const { labeler, ranks } of line.rankings) {
    if (ranks.length !== line.responses.length) return `labeler ${key(labeler)} has ${ranks.length} ranks for ${line.responses.length} responses`;
    const byRank = new Map<number, Id[]>();
    ranks.forEach((rank, i) => {
      if (rank === null) return;
      const tier = byRank.get(rank) ?? [];
      tier.push((line.responses[i] as { id: Id }).id);
      byRank.set(rank, tier);
    });
    const ranking = [...byRank].sort((a, b) => a[0] - b[0]).map(([, tier]) => tier);
    records.push({ prompt: line.promptId, labeler, ranking });
  }
  return records;
}

/** "7" and 7 name the same response or labeler in a file, as they would once written as JSON keys. */
const key = (id: Id): string => (typeof id === 'string' ? id : String(id));

function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** Parses one JSON ranking per line; every bad line is reported, so a file can be fixed in one go. */
export function parseRankingLines(text: string): { records: RankingRecord[]; errors: LineError[] } {
  const records: RankingRecord[] = [];
  const errors: LineError[] = [];
  // Per prompt: the response set of its first good ranking and the line it came from, and who ranked it where.
  const firstOfPrompt = new Map<string, { line: number; ids: Set<string> }>();
  const rankedBy = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      errors.push({ line, message: `not valid JSON (${(e as Error).message})` });
      continue;
    }
    const parsed = rankingLineSchema.safeParse(json);
    let candidates: RankingRecord[];
    if (parsed.success) candidates = [parsed.data];
    else {
      // Not one ranking: the `rankings` export as Podium writes it, one prompt with all its labelers, is read too.
      const exported = rankingsExportLineSchema.safeParse(json);
      const fromExport = exported.success ? recordsOfExportLine(exported.data) : zodMessage(parsed.error);
      if (typeof fromExport === 'string') {
        errors.push({ line, message: fromExport });
        continue;
      }
      candidates = fromExport;
    }
    for (const record of candidates) {
      const error = checkRecord(record, line);
      if (error) errors.push({ line, message: error });
      else records.push(record);
    }
  }
  return { records, errors };

  /** The checks every ranking gets, whichever line shape it came from; null when it is good (and remembered). */
  function checkRecord(record: RankingRecord, line: number): string | null {
    const ids = new Set<string>();
    const repeated = new Set<string>();
    for (const tier of record.ranking) for (const id of tier) (ids.has(key(id)) ? repeated : ids).add(key(id));
    if (repeated.size) {
      return `the ranking repeats response${repeated.size > 1 ? 's' : ''} ${[...repeated].join(', ')}`;
    }
    const promptKey = key(record.prompt);
    const first = firstOfPrompt.get(promptKey);
    if (first) {
      const missing = [...first.ids].filter((id) => !ids.has(id));
      const extra = [...ids].filter((id) => !first.ids.has(id));
      if (missing.length || extra.length) {
        const parts = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `adds ${extra.join(', ')}` : ''].filter(Boolean);
        return `its responses differ from line ${first.line}'s ranking of prompt ${promptKey}: ${parts.join('; ')}`;
      }
    } else firstOfPrompt.set(promptKey, { line, ids });
    if (record.shownFirst !== undefined && !ids.has(key(record.shownFirst))) {
      return `shownFirst ${key(record.shownFirst)} is not one of the ranked responses`;
    }
    const pairKey = JSON.stringify([promptKey, key(record.labeler)]);
    const earlier = rankedBy.get(pairKey);
    if (earlier !== undefined) {
      return `labeler ${key(record.labeler)} already ranked prompt ${promptKey} on line ${earlier}`;
    }
    rankedBy.set(pairKey, line);
    return null;
  }
}

/**
 * `podium agreement --rankings FILE [--bootstrap N]`: every agreement figure of rankings gathered anywhere, as one JSON
 * object. `--project ID` reads a project's counted rankings (and skips) from the database instead, as the API's
 * agreement route does, with the same bootstrap seed, so both give the same figures.
 */
export async function runAgreementCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let args: ReturnType<typeof parseCommand<typeof agreementCommand.options>>;
  try {
    args = parseCommand(agreementCommand, argv);
  } catch (e) {
    // A bare `--bootstrap` (no count) lands here too: a usage error, not one resample.
    if (!(e instanceof UsageError)) throw e;
    err.write(`${e.message}\n`);
    return 2;
  }
  if (args === 'help') {
    out.write(`${commandHelp(agreementCommand)}\n`);
    return 0;
  }
  const { rankings: file, project: projectText, bootstrap: bootstrapText } = args.values;
  const resamples = bootstrapText === undefined ? 0 : Number(bootstrapText);
  const projectId = Number(projectText);
  const bootstrap = resamples > 0 ? { bootstrap: { resamples, seed: 1 } } : {};
  if ((file === undefined) === (projectText === undefined) || !Number.isInteger(resamples) || resamples < 0 || (projectText !== undefined && !(Number.isInteger(projectId) && projectId > 0))) {
    err.write(`${commandHelp(agreementCommand)}\n`);
    return 2;
  }
  if (file && args.values.criterion !== undefined) {
    err.write('--criterion reads a project\'s rankings: use it with --project\n');
    return 2;
  }
  if (!file) {
    return withProject(
      projectId,
      async (store, project) => {
        const source = store.agreementSource;
        // The API's agreement route, criterion for criterion: `all` gives the side-by-side headline figures.
        if (args.values.criterion === allCriteria) {
          out.write(`${JSON.stringify(criteriaAgreement(await source.rankings(project.id), project.criteria))}\n`);
          return 0;
        }
        const picked = selectCriterion(project.criteria, args.values.criterion);
        if (!picked.ok) {
          err.write(`--criterion: ${picked.message}\n`);
          return 2;
        }
        const report = agreementReport(await source.rankings(project.id, picked.selection), { skipped: await source.skipped(project.id), ...bootstrap });
        // As the API: each labeler with their gold score (docs/quality.md).
        out.write(`${JSON.stringify({ ...report, criterion: picked.selection.key, labelers: withGoldScores(report.labelers, await store.quality.goldScores(project.id)) })}\n`);
        return 0;
      },
      (line) => err.write(`${line}\n`),
    );
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    err.write(`cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const { records, errors } = parseRankingLines(text);
  if (errors.length) {
    for (const e of errors) err.write(`line ${e.line}: ${e.message}\n`);
    err.write(`${errors.length} bad line(s) in ${file}; nothing was computed\n`);
    return 1;
  }
  const report = agreementReport(records, bootstrap);
  out.write(`${JSON.stringify(report)}\n`);
  return 0;
}
