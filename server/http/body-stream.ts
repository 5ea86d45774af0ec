import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

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

/** The body as text lines (without their line ends), decoded as UTF-8 while it arrives. */
export async function* bodyLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  // DOM's and Node's TextDecoderStream typings disagree on the writable side; at run time they are one class.
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  // The unfinished line, in pieces: only each new chunk is searched for a line end, so one 20 MB line costs one
  // join, not a rescan of everything before it on every chunk.
  let pieces: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let start = 0;
    for (let nl = value.indexOf('\n'); nl >= 0; nl = value.indexOf('\n', start)) {
      const tail = value.slice(start, nl);
      yield pieces.length ? pieces.join('') + tail : tail;
      pieces = [];
      start = nl + 1;
    }
    if (start < value.length) pieces.push(start === 0 ? value : value.slice(start));
  }
  if (pieces.length) yield pieces.join('');
}
