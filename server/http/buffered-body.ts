import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** Why no body came: it was larger than the limit, or the client went away before sending all of it. */
export type BodyRefusal = 'too-large' | 'aborted';

/**
 * Reads a body of at most `limit` bytes straight from Node's request stream. Larger bodies are left unread (the
 * caller must close the connection). Going around the WHATWG Request saves building a Request, an AbortSignal and a
 * web stream per call, which on the labeling routes cost more than the SQL does.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer | BodyRefusal> {
  const declared = Number(incoming.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.resolve('too-large');
  // Events that have already fired would never come: an ended stream had nothing (more) to read, a destroyed one
  // lost its client.
  if (incoming.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (incoming.destroyed) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (outcome: Buffer | BodyRefusal) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.pause();
        done('too-large');
      } else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    // A reset or a close before the end: the client is not waiting for an answer, so there is nothing to report.
    const onGone = () => done('aborted');
    incoming.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
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
