import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { createMiddleware } from 'hono/factory';
import { chooseEncoding } from './accept-encoding.ts';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** JSON answers shorter than this go out as they are: compressing them costs more time than it saves bytes. */
export const jsonCompressionThreshold = 1024;

// The labeling loop (next task, submit, skip, counter) is the hot path: its answers are a task or less,
// and the server's CPU per submit is the figure the labeling bench guards, so they are never compressed.
const labelingPath = /^\/api\/(?:projects\/[^/]+\/tasks\/|assignments\/[^/]+\/)/;

/**
 * Compresses `application/json` answers of at least `jsonCompressionThreshold` bytes with brotli (a fast
 * level) or gzip, as the client's `Accept-Encoding` allows, on the thread pool. Only whole JSON bodies:
 * streamed exports (`application/x-ndjson`) and job events (`text/event-stream`) pass through untouched,
 * so nothing streamed is ever buffered.
 */
export const compressLargeJson = createMiddleware(async (c, next) => {
  await next();
  // The method and path first: the labeling answers, never compressed, then skip the header lookup and its regex.
  if (c.req.method === 'HEAD' || labelingPath.test(c.req.path)) return;
  const res = c.res;
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) return;
  if (res.headers.has('content-encoding') || !res.body) return;
  const encoding = chooseEncoding(c.req.header('accept-encoding'));
  const headers = new Headers(res.headers);
  headers.append('vary', 'Accept-Encoding');
  let body: BodyInit = res.body;
  if (encoding) {
    const raw = new Uint8Array(await res.arrayBuffer());
    body = raw;
    if (raw.byteLength >= jsonCompressionThreshold) {
      body =
        encoding === 'br'
          ? await brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength } })
          : await gzipAsync(raw, { level: 6 });
      headers.set('content-encoding', encoding);
      headers.delete('content-length');
    }
  }
  // Cleared first: the setter would otherwise copy the old headers back over the new ones.
  c.res = undefined;
  c.res = new Response(body, { status: res.status, headers });
});
