import { addSkipped, type SkippedCounts } from '../../shared/export-skips.ts';
import type { ExportPrompt } from './export-types.ts';
import { exportJsonForPrompt, exportPass, type ExportPass, type ExportSettings } from './export-lines.ts';

const chunkChars = 64 * 1024;

export type ExportCounts = { prompts: number; lines: number; skipped: SkippedCounts };

/**
 * JSON.stringify leaves U+0085, U+2028 and U+2029 raw; Python's str.splitlines() and other line readers break
 * lines at them. JSON only ever has them inside strings, where the escape means the same character.
 */
const lineBreakers = /[\u0085\u2028\u2029]/g;
const anyLineBreaker = /[\u0085\u2028\u2029]/;
const escapeOf = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
export function escapeLineBreakers(json: string): string {
  return json.replace(lineBreakers, escapeOf);
}

/**
 * Whether any text of the prompt holds one of them: a line's strings all come from its prompt (texts, ids, models),
 * so testing those once per prompt spares scanning each of its lines, which repeat every text several times.
 */
function mayBreakLines(prompt: ExportPrompt): boolean {
  if (prompt.externalId !== null && anyLineBreaker.test(prompt.externalId)) return true;
  for (const m of prompt.messages) if (anyLineBreaker.test(m.content)) return true;
  for (const r of prompt.responses) if (anyLineBreaker.test(r.text) || (r.model !== null && anyLineBreaker.test(r.model))) return true;
  return false;
}

/**
 * A piece of the file ready to write: its text (a string, or UTF-8 bytes from the export worker), how many lines and
 * prompts it holds, and what the prompts it went through left out.
 */
export type ExportChunk<T extends string | Uint8Array = string | Uint8Array> = { text: T; lines: number; prompts: number; skipped: SkippedCounts };

/**
 * Turns prompts, in order, into chunks of about 64K characters, one pass (skips and duplicate lines) over the file.
 * The one definition of the file's text: the loop's streamExport and the export worker (export-jsonl-worker.ts) both
 * build it here.
 */
export function exportChunker(settings: ExportSettings, repeatedContexts?: ReadonlySet<string>) {
  const pass: ExportPass = exportPass(repeatedContexts);
  let text = '';
  let lines = 0;
  let prompts = 0;
  return {
    /** Adds the prompt's lines; true once the chunk is full. */
    add(prompt: ExportPrompt): boolean {
      const json = exportJsonForPrompt(prompt, settings, pass);
      if (json.length === 0) return false;
      if (mayBreakLines(prompt)) for (const line of json) text += escapeLineBreakers(line) + '\n';
      else for (const line of json) text += line + '\n';
      lines += json.length;
      prompts++;
      // A chunk of a few lines costs a write each; one of megabytes is a rope the sink must flatten and encode
      // outside the CPU cache (7x the CPU of 64 KB chunks, measured), so a chunk is taken as soon as it is full.
      return text.length >= chunkChars;
    },
    /** The chunk so far (possibly empty, still with its skips), and a new one begun. */
    take(): ExportChunk<string> {
      const chunk: ExportChunk<string> = { text, lines, prompts, skipped: pass.skipped };
      pass.skipped = {};
      text = '';
      lines = 0;
      prompts = 0;
      return chunk;
    },
  };
}

/** The file's chunks for every batch of prompts, built on this thread. */
export async function* exportChunks(batches: Iterable<ExportPrompt[]> | AsyncIterable<ExportPrompt[]>, settings: ExportSettings, repeatedContexts?: ReadonlySet<string>): AsyncGenerator<ExportChunk<string>> {
  const chunker = exportChunker(settings, repeatedContexts);
  for await (const batch of batches) for (const prompt of batch) if (chunker.add(prompt)) yield chunker.take();
  yield chunker.take();
}

/**
 * Writes the chunks in order, awaiting the sink so a slow reader applies back-pressure; stops early when `aborted()`
 * turns true (the client went away). Lines, prompts and skips count once their chunk is handed to the sink, so an
 * aborted export reports what it sent.
 */
export async function writeExport<T extends string | Uint8Array>(chunks: AsyncIterable<ExportChunk<T>>, write: (chunk: T) => Promise<unknown> | unknown, aborted: () => boolean = () => false): Promise<ExportCounts> {
  const counts: ExportCounts = { prompts: 0, lines: 0, skipped: {} };
  for await (const chunk of chunks) {
    if (aborted()) break;
    if (chunk.text.length > 0) await write(chunk.text);
    counts.lines += chunk.lines;
    counts.prompts += chunk.prompts;
    counts.skipped = addSkipped(counts.skipped, chunk.skipped);
  }
  return counts;
}

/**
 * Writes JSONL for every batch of prompts in chunks of about 64K characters (exportChunker, writeExport), on this thread.
 * `repeatedContexts`: see ExportPass (only needed with metadata=false).
 */
export async function streamExport(
  batches: Iterable<ExportPrompt[]> | AsyncIterable<ExportPrompt[]>,
  settings: ExportSettings,
  write: (chunk: string) => Promise<unknown> | unknown,
  aborted: () => boolean = () => false,
  repeatedContexts?: ReadonlySet<string>,
): Promise<ExportCounts> {
  return await writeExport(exportChunks(batches, settings, repeatedContexts), write, aborted);
}
