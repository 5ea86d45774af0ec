import { setImmediate as nextTurn } from 'node:timers/promises';
import { loopTurns } from '../http/loop-turns.ts';
import { importParser, type ImportLimits, importLimits, type ParsedPrompt, type ParseResult } from './parse-import.ts';

/** Good prompts are handed to `write` once about this many characters of them are waiting: a short transaction each. */
const writeChars = 1 << 20;

/**
 * Parses import lines as they arrive. An upload that arrives faster than it parses would otherwise be parsed in one
 * run of microtasks, and no other request (not even /api/health) would be answered until it ends; so every 10 ms
 * of parsing gives the event loop a turn. Once the parser has stopped on a bad file, the rest is read and dropped:
 * the client is still sending it and waits for the reply.
 * With `write`, the good prompts are handed over in pieces while the file is read (and none are kept): the file
 * is good only if the result has no bad lines, so what `write` got must stay invisible until then.
 */
export async function parseImportLines(
  lines: AsyncIterable<string>,
  responsesPerPrompt: number,
  limits: ImportLimits = importLimits,
  write?: (prompts: ParsedPrompt[]) => Promise<void>,
): Promise<ParseResult> {
  const parser = importParser(responsesPerPrompt, limits);
  const turn = loopTurns();
  for await (const line of lines) {
    if (!parser.stopped) parser.push(line);
    if (write && parser.pendingChars >= writeChars) await write(parser.take());
    await turn();
  }
  if (write) {
    const rest = parser.take();
    if (rest.length) await write(rest);
  }
  // The caller writes a good file next: give other requests a turn between the two.
  await nextTurn();
  return parser.finish();
}
