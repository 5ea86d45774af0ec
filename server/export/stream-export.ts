import type { SkippedCounts } from '../../shared/export-skips.ts';
import type { ExportPrompt } from './export-types.ts';
import { exportJsonForPrompt, exportPass, type ExportSettings } from './export-lines.ts';

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
 * Writes JSONL for every batch of prompts in chunks of about 64K characters, awaiting the sink so a slow reader
 * applies back-pressure; stops early when `aborted()` turns true (the client went away).
 * `repeatedContexts`: see ExportPass (only needed with metadata=false).
 */
export async function streamExport(
  batches: Iterable<ExportPrompt[]> | AsyncIterable<ExportPrompt[]>,
  settings: ExportSettings,
  write: (chunk: string) => Promise<unknown> | unknown,
  aborted: () => boolean = () => false,
  repeatedContexts?: ReadonlySet<string>,
): Promise<ExportCounts> {
  const pass = exportPass(repeatedContexts);
  const counts: ExportCounts = { prompts: 0, lines: 0, skipped: pass.skipped };
  // Lines and prompts count once their chunk is handed to the sink, so an aborted export reports what it sent.
  let chunk = '';
  let chunkLines = 0;
  let chunkPrompts = 0;
  const flush = async (): Promise<void> => {
    await write(chunk);
    counts.lines += chunkLines;
    counts.prompts += chunkPrompts;
    chunk = '';
    chunkLines = 0;
    chunkPrompts = 0;
  };
  for await (const batch of batches) {
    for (const prompt of batch) {
      if (aborted()) return counts;
      const lines = exportJsonForPrompt(prompt, settings, pass);
      if (lines.length === 0) continue;
      if (mayBreakLines(prompt)) for (const line of lines) chunk += escapeLineBreakers(line) + '\n';
      else for (const line of lines) chunk += line + '\n';
      chunkLines += lines.length;
      chunkPrompts++;
      // A chunk of a few lines costs a write each; one of megabytes is a rope the sink must flatten and encode
      // outside the CPU cache (7x the CPU of 64 KB chunks, measured), so a chunk is written as soon as it is full.
      if (chunk.length >= chunkChars) await flush();
    }
  }
  if (chunk && !aborted()) await flush();
  return counts;
}
