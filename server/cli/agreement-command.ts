import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { idSchema, rankingSchema, type Id } from '../../shared/ranking.ts';
import { agreementReport, type RankingRecord } from '../metrics/agreement-report.ts';
import { parseArgs, stringOption } from './args.ts';

const usage = 'usage: podium agreement --rankings FILE.jsonl [--bootstrap N]';

const rankingLineSchema = z.object({
  prompt: idSchema,
  labeler: idSchema,
  ranking: rankingSchema,
  shownFirst: idSchema.optional(),
  durationMs: z.number().nonnegative().optional(),
  flagged: z.boolean().optional(),
});

type LineError = { line: number; message: string };

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
    if (!parsed.success) {
      errors.push({ line, message: zodMessage(parsed.error) });
      continue;
    }
    const record = parsed.data;
    const ids = new Set<string>();
    const repeated = new Set<string>();
    for (const tier of record.ranking) for (const id of tier) (ids.has(key(id)) ? repeated : ids).add(key(id));
    if (repeated.size) {
      errors.push({ line, message: `the ranking repeats response${repeated.size > 1 ? 's' : ''} ${[...repeated].join(', ')}` });
      continue;
    }
    const promptKey = key(record.prompt);
    const first = firstOfPrompt.get(promptKey);
    if (first) {
      const missing = [...first.ids].filter((id) => !ids.has(id));
      const extra = [...ids].filter((id) => !first.ids.has(id));
      if (missing.length || extra.length) {
        const parts = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `adds ${extra.join(', ')}` : ''].filter(Boolean);
        errors.push({ line, message: `its responses differ from line ${first.line}'s ranking of prompt ${promptKey}: ${parts.join('; ')}` });
        continue;
      }
    } else firstOfPrompt.set(promptKey, { line, ids });
    if (record.shownFirst !== undefined && !ids.has(key(record.shownFirst))) {
      errors.push({ line, message: `shownFirst ${key(record.shownFirst)} is not one of the ranked responses` });
      continue;
    }
    const pairKey = JSON.stringify([promptKey, key(record.labeler)]);
    const earlier = rankedBy.get(pairKey);
    if (earlier !== undefined) {
      errors.push({ line, message: `labeler ${key(record.labeler)} already ranked prompt ${promptKey} on line ${earlier}` });
      continue;
    }
    rankedBy.set(pairKey, line);
    records.push(record);
  }
  return { records, errors };
}

/** `podium agreement --rankings FILE [--bootstrap N]`: every agreement figure of rankings gathered anywhere, as one JSON object. */
export async function runAgreementCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const args = parseArgs(argv);
  const file = stringOption(args, 'rankings');
  const bootstrapText = args.options.get('bootstrap');
  // A bare `--bootstrap` parses as true; without a count it is a usage error, not one resample.
  const resamples = bootstrapText === undefined ? 0 : typeof bootstrapText === 'string' ? Number(bootstrapText) : Number.NaN;
  if (!file || !Number.isInteger(resamples) || resamples < 0) {
    err.write(`${usage}\n`);
    return 2;
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
  const report = agreementReport(records, resamples > 0 ? { bootstrap: { resamples, seed: 1 } } : {});
  out.write(`${JSON.stringify(report)}\n`);
  return 0;
}
