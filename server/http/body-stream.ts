import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { loopTurns } from './loop-turns.ts';

/** Thrown from inside the body stream once a request passes its route's limit; app.onError answers 413. */
export class BodyTooLargeError extends HTTPException {
  constructor(limit: number) {
    super(413, { message: `the request body is larger than ${limit} bytes` });
  }
}

/**
 * Counts the body as it streams and fails the read past `limit`, so a large upload is bounded without being
 * buffered first (Hono's bodyLimit buffers bodies that come without a Content-Length).
 */
export function limitBodyStream(c: Context, limit: number): void {
  const body = c.req.raw.body;
  if (!body) return;
  let size = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(new BodyTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
}

/**
 * The body as text lines (without their line ends), decoded as UTF-8 (bad bytes become U+FFFD). Lines are split on
 * the bytes, which is safe since no multi-byte UTF-8 character contains a newline byte, and each line is decoded
 * once, whole: one 20 MB line costs one copy of its pieces and one decode, not a decode per chunk and a string join.
 */
export async function* bodyLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  const reader = body.getReader();
  // An upload read faster than it arrives is buffered; the chunks of one long line would then be read in one go.
  const turn = loopTurns();
  // The unfinished line's bytes, in pieces: only each new chunk is searched for a line end.
  let pieces: Buffer[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (pieces.length === 0) yield chunk.toString('utf8', start, nl);
      else {
        pieces.push(chunk.subarray(start, nl));
        yield Buffer.concat(pieces).toString('utf8');
        pieces = [];
      }
      start = nl + 1;
    }
    // Kept, not copied: a chunk read from a stream is the reader's.
    if (start < chunk.length) pieces.push(chunk.subarray(start));
    await turn();
  }
  if (pieces.length) yield Buffer.concat(pieces).toString('utf8');
}
