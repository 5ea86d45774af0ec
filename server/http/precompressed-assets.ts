import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { chooseEncoding, type ContentEncoding } from './accept-encoding.ts';

// Vite writes flat, hashed names (`index-B4x9.js`); anything else (`..`, `%2F`, dot files) is not ours.
const assetName = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const suffix: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };
const preference: readonly ContentEncoding[] = ['br', 'gzip'];

async function readIfThere(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

/**
 * Serves `/assets/NAME` from the build folder: the `.br` or `.gz` copy written at build time when the
 * client accepts it (`Accept-Encoding`), else the file itself, with its own content type, `Vary:
 * Accept-Encoding` and a year of immutable caching (the names change with their content). Null when there
 * is no such asset, so the caller answers 404.
 */
export async function precompressedAsset(c: Context, assetsDir: string): Promise<Response | null> {
  const name = c.req.path.slice('/assets/'.length);
  if (!assetName.test(name)) return null;
  const path = join(assetsDir, name);
  const type = getMimeType(name) ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'content-type': type,
    'cache-control': 'public, max-age=31536000, immutable',
    vary: 'Accept-Encoding',
  };
  const accepted = c.req.header('accept-encoding');
  // Brotli first (smaller), then gzip, then the plain file, when a copy was not written (too small, or an older build).
  const tries = preference.filter((e) => chooseEncoding(accepted, [e]) === e);
  for (const candidate of tries) {
    const body = await readIfThere(path + suffix[candidate]);
    if (body) return c.body(new Uint8Array(body), 200, { ...headers, 'content-encoding': candidate });
  }
  const body = await readIfThere(path);
  return body ? c.body(new Uint8Array(body), 200, headers) : null;
}
