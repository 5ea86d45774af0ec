import { createHash } from 'node:crypto';
import { importLineSchema, type ImportLineError } from '../../shared/import-line.ts';
import type { ChatMessage } from '../../shared/messages.ts';

export type ParsedPrompt = {
  line: number;
  externalId: string;
  messages: ChatMessage[];
  metadata: Record<string, unknown>;
  responses: { text: string; model: string | null }[];
};

export type ParseResult = { prompts: ParsedPrompt[]; errors: ImportLineError[] };

/** A line without an id gets one from its content, so importing the same file twice skips instead of duplicating. */
function contentId(messages: ChatMessage[]): string {
  return 'sha1-' + createHash('sha1').update(JSON.stringify(messages)).digest('hex').slice(0, 16);
}

/** Parses JSONL import text; every bad line is reported with its 1-based number, so a file is fixed in one pass. */
export function parseImport(text: string, responsesPerPrompt: number): ParseResult {
  const parser = importParser(responsesPerPrompt);
  for (const line of text.split(/\r?\n/)) parser.push(line);
  return parser.finish();
}

/** The same parse fed one line at a time, so an upload can be parsed while it streams in. */
export function importParser(responsesPerPrompt: number): { push: (line: string) => void; finish: () => ParseResult } {
  const prompts: ParsedPrompt[] = [];
  const errors: ImportLineError[] = [];
  const seen = new Map<string, number>();
  let line = 0;
  const push = (text: string): void => {
    line++;
    const raw = text.trim();
    if (raw === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      errors.push({ line, message: `not valid JSON: ${(e as Error).message}` });
      return;
    }
    const parsed = importLineSchema.safeParse(json);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message).join('; ');
      errors.push({ line, message });
      return;
    }
    const l = parsed.data;
    const messages: ChatMessage[] = l.messages ?? [{ role: 'user', content: l.prompt ?? '' }];
    const responses = (l.responses ?? []).map((r) => (typeof r === 'string' ? { text: r, model: null } : { text: r.text, model: r.model ?? null }));
    if (responses.length > responsesPerPrompt) {
      errors.push({ line, message: `has ${responses.length} responses; this project ranks ${responsesPerPrompt} per prompt` });
      return;
    }
    const externalId = l.id === undefined ? contentId(messages) : String(l.id);
    const earlier = seen.get(externalId);
    if (earlier !== undefined) {
      errors.push({ line, message: `id "${externalId}" is already on line ${earlier}` });
      return;
    }
    seen.set(externalId, line);
    prompts.push({ line, externalId, messages, metadata: l.metadata ?? {}, responses });
  };
  const finish = (): ParseResult => {
    if (prompts.length === 0 && errors.length === 0) errors.push({ line: 0, message: 'the file has no prompts' });
    return { prompts, errors };
  };
  return { push, finish };
}
