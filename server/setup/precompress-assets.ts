import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Text formats worth compressing; images and fonts in modern formats are compressed already. */
const compressible = /\.(js|mjs|css|html|svg|json|txt|map|wasm)$/;
// Below this a compressed copy saves less than its extra headers cost.
const minBytes = 1024;

/**
 * Writes `NAME.br` (brotli, best quality) and `NAME.gz` (gzip level 9) beside every compressible file of
 * a built client folder, once at build time, so the server never compresses the same bytes per request.
 * A copy that is not smaller than the original is not written.
 */
export function precompressAssets(dir: string): { files: number } {
  let files = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (!compressible.test(name) || !statSync(path).isFile()) continue;
    const raw = readFileSync(path);
    if (raw.byteLength < minBytes) continue;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength } });
    const gz = gzipSync(raw, { level: 9 });
    if (br.byteLength < raw.byteLength) writeFileSync(`${path}.br`, br);
    if (gz.byteLength < raw.byteLength) writeFileSync(`${path}.gz`, gz);
    files++;
  }
  return { files };
}
