import { addSkipped } from '../../shared/export-skips.ts';
import type { ExportChunk } from './stream-export.ts';

/** About this many bytes per piece the export worker hands to the loop: a message and a write each. */
const pieceBytes = 1 << 20;

/**
 * The chunks encoded as UTF-8 into pieces of about a megabyte, each in a buffer of its own so that it can be
 * transferred to another thread rather than copied. Each 64K chunk is encoded while it is still in the CPU cache; the
 * bytes are those a write of the chunk's string would send (JSON.stringify leaves no lone surrogate to replace).
 */
export function* chunkBytes(chunks: Iterable<ExportChunk<string>>): Generator<ExportChunk<Uint8Array>> {
  let buffer = Buffer.allocUnsafeSlow(0);
  let used = 0;
  let piece: Omit<ExportChunk, 'text'> = { lines: 0, prompts: 0, skipped: {} };
  const take = (): ExportChunk<Uint8Array> => {
    const out = { ...piece, text: new Uint8Array(buffer.buffer, 0, used) };
    piece = { lines: 0, prompts: 0, skipped: {} };
    used = 0;
    return out;
  };
  for (const chunk of chunks) {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const room = chunk.text.length * 3;
    if (used + room > buffer.length) {
      if (used > 0) yield take();
      buffer = Buffer.allocUnsafeSlow(Math.max(pieceBytes + (pieceBytes >> 2), room));
    }
    used += buffer.write(chunk.text, used);
    piece.lines += chunk.lines;
    piece.prompts += chunk.prompts;
    piece.skipped = addSkipped(piece.skipped, chunk.skipped);
    if (used >= pieceBytes) {
      yield take();
      buffer = Buffer.allocUnsafeSlow(0);
    }
  }
  yield take();
}
