import { setImmediate as nextTurn } from 'node:timers/promises';
import { importParser, type ImportLimits, importLimits, type ParseResult } from './parse-import.ts';

/** How long parsing may hold the event loop before other requests get a turn. */
const sliceMs = 10;

/**
 * Parses import lines as they arrive. An upload that arrives faster than it parses would otherwise be parsed in one
 * run of microtasks, and no other request (not even /api/health) would be answered until it ends; so every few ms
 * of parsing gives the event loop a turn. Once the parser has stopped on a bad file, the rest is read and dropped:
 * the client is still sending it and waits for the reply.
 */
export async function parseImportLines(lines: AsyncIterable<string>, responsesPerPrompt: number, limits: ImportLimits = importLimits): Promise<ParseResult> {
  const parser = importParser(responsesPerPrompt, limits);
  let sliceStart = performance.now();
  for await (const line of lines) {
    if (!parser.stopped) parser.push(line);
    if (performance.now() - sliceStart > sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  // The caller writes a good file next, in one synchronous transaction: give other requests a turn between the two.
  await nextTurn();
  return parser.finish();
}
