import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * Reads a body of at most `limit` bytes straight from Node's request stream; null when it is larger (the rest is
 * left unread, so the caller must close the connection). Going around the WHATWG Request saves building a
 * Request, an AbortSignal and a web stream per call, which on the labeling routes cost more than the SQL does.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(incoming.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.resolve(null);
  if (incoming.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (outcome: Buffer | null | Error) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.pause();
        done(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    const onError = (error: Error) => done(error);
    const onClose = () => done(new Error('the client closed the connection before the body arrived'));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * Hands an already-read body to Hono, whose c.req.json()/text() (and so every validator) read it from
 * `bodyCache.text` before they would touch the raw Request; the other body readers derive from it.
 */
export function setBodyText(c: Context, bytes: Buffer): void {
  const text = bytes.toString('utf8');
  // UTF-8 decode as the fetch standard does it: a leading byte order mark is not part of the text.
  const cache = c.req.bodyCache as Record<string, Promise<string>>;
  cache.text = Promise.resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
