import { createHash } from 'node:crypto';
import { checkImportLine, type ImportLineError } from '../../shared/import-line.ts';
import type { ChatMessage } from '../../shared/messages.ts';

export type ParsedPrompt = {
  line: number;
  externalId: string;
  messages: ChatMessage[];
  metadata: Record<string, unknown>;
  responses: { text: string; model: string | null }[];
  /** A gold prompt's known order as tiers of indexes into `responses` (shared/import-line.ts checked it). */
  gold?: number[][] | null;
};

export type ParseResult = {
  /** Every prompt of a good file; empty as soon as one line is bad, since nothing of a bad file is stored. */
  prompts: ParsedPrompt[];
  /** The first `reportedLines` bad lines with their reasons. */
  errors: ImportLineError[];
  /** Bad lines found; a lower bound when `stoppedAtLine` is set. */
  badLines: number;
  /** Checking stopped after this line, once `countedBadLines` bad lines were found; null when every line was checked. */
  stoppedAtLine: number | null;
  /** The first `reportedLines` lines that passed with a warning, and how many did. */
  warnings: ImportLineError[];
  warningLines: number;
};

/**
 * How much a refused file is worth: the reply lists the first 100 bad lines (a file is fixed from them, and the
 * reply stays a few KB), and counting stops at 10,000, so a file of junk costs a bounded amount of parsing.
 */
export const importLimits = { reportedLines: 100, countedBadLines: 10_000, messageChars: 500 };
export type ImportLimits = typeof importLimits;

/** A line without an id gets one from its content, so importing the same file twice skips instead of duplicating. */
function contentId(messages: ChatMessage[]): string {
  return 'sha1-' + createHash('sha1').update(JSON.stringify(messages)).digest('hex').slice(0, 16);
}

function clip(message: string, limit: number): string {
  return message.length > limit ? `${message.slice(0, limit)}…` : message;
}

export type ImportParser = {
  push: (line: string) => void;
  readonly stopped: boolean;
  /** Characters of the lines behind the prompts `take` would hand over. */
  readonly pendingChars: number;
  /** Hands over the good prompts parsed since the last take (none once the file is known bad), so they can be written before the file ends. */
  take: () => ParsedPrompt[];
  finish: () => ParseResult;
};

/** Parses an import fed one line at a time (1-based line numbers, blank lines ignored), so an upload is parsed while it streams in. */
export function importParser(responsesPerPrompt: number, limits: ImportLimits = importLimits): ImportParser {
  let prompts: ParsedPrompt[] = [];
  const errors: ImportLineError[] = [];
  const warnings: ImportLineError[] = [];
  let badLines = 0;
  let warningLines = 0;
  let stoppedAtLine: number | null = null;
  const seen = new Map<string, number>();
  let line = 0;
  let pendingChars = 0;
  let takenCount = 0;
  const bad = (message: string) => {
    badLines++;
    if (errors.length < limits.reportedLines) errors.push({ line, message: clip(message, limits.messageChars) });
    // The file is refused: let go of what was parsed, and build nothing more.
    prompts = [];
    pendingChars = 0;
    if (badLines >= limits.countedBadLines) stoppedAtLine = line;
  };
  const push = (text: string): void => {
    if (stoppedAtLine !== null) return;
    line++;
    const raw = text.trim();
    if (raw === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      bad(`not valid JSON: ${(e as Error).message}`);
      return;
    }
    const checked = checkImportLine(json, responsesPerPrompt);
    if (!checked.ok) {
      bad(checked.message);
      return;
    }
    const l = checked.line;
    // Given ids are still compared once the file is known to be bad, so their duplicates are counted; hashing the
    // content for a missing id is only worth it while the file may still be stored.
    const externalId = l.id ?? (badLines === 0 ? contentId(l.messages) : undefined);
    if (externalId !== undefined) {
      const earlier = seen.get(externalId);
      if (earlier !== undefined) {
        bad(`id ${JSON.stringify(externalId)} is already on line ${earlier}`);
        return;
      }
      seen.set(externalId, line);
    }
    if (badLines > 0 || externalId === undefined) return;
    if (checked.warning !== null) {
      warningLines++;
      if (warnings.length < limits.reportedLines) warnings.push({ line, message: checked.warning });
    }
    prompts.push({ line, externalId, messages: l.messages, metadata: l.metadata, responses: l.responses, gold: l.gold });
    pendingChars += raw.length;
  };
  const finish = (): ParseResult => {
    if (prompts.length === 0 && takenCount === 0 && badLines === 0) {
      badLines = 1;
      errors.push({ line: 0, message: 'the file has no prompts' });
    }
    return badLines > 0 ? { prompts: [], errors, badLines, stoppedAtLine, warnings: [], warningLines: 0 } : { prompts, errors, badLines, stoppedAtLine, warnings, warningLines };
  };
  return {
    push,
    get stopped() {
      return stoppedAtLine !== null;
    },
    get pendingChars() {
      return pendingChars;
    },
    take: () => {
      const taken = prompts;
      takenCount += taken.length;
      prompts = [];
      pendingChars = 0;
      return taken;
    },
    finish,
  };
}

/** Parses a whole JSONL text at once (the demo data); the upload and the CLI stream through `importParser`. */
export function parseImport(text: string, responsesPerPrompt: number): ParseResult {
  const parser = importParser(responsesPerPrompt);
  for (const line of text.split('\n')) parser.push(line);
  return parser.finish();
}

/** The refusal in one sentence, the same for the API and the CLI. */
export function refusalMessage(parsed: ParseResult): string {
  if (parsed.badLines === 1 && parsed.errors[0]?.line === 0) return 'the file has no prompts; nothing was imported';
  const count = `${parsed.stoppedAtLine !== null ? 'at least ' : ''}${parsed.badLines} bad line${parsed.badLines > 1 ? 's' : ''}`;
  const stopped = parsed.stoppedAtLine !== null ? ` (checking stopped at line ${parsed.stoppedAtLine})` : '';
  const shown = parsed.errors.length < parsed.badLines ? `; the first ${parsed.errors.length} are listed` : '';
  return `${count}${stopped}${shown}; nothing was imported`;
}
