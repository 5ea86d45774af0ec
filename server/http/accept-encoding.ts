export type ContentEncoding = 'br' | 'gzip';

/**
 * The encoding to answer with, from an `Accept-Encoding` header: brotli when the client takes it (it is
 * the smaller), else gzip, else none. Honours `q=0` (refused) and `*`.
 */
export function chooseEncoding(header: string | undefined, available: readonly ContentEncoding[] = ['br', 'gzip']): ContentEncoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(name.trim(), weight === undefined ? 1 : Number(weight));
  }
  const wildcard = q.get('*') ?? 0;
  let best: ContentEncoding | null = null;
  let bestQ = 0;
  for (const encoding of available) {
    const weight = q.get(encoding) ?? wildcard;
    if (weight > bestQ) {
      best = encoding;
      bestQ = weight;
    }
  }
  return best;
}
