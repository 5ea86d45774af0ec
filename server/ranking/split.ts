import { normaliseWhitespace } from '../../shared/normalise-text.ts';

export type SplitSide = 'train' | 'test';

/**
 * What a prompt is split by: its conversation, not its id, so the same conversation imported twice (under two ids,
 * or into two projects) lands on one side. JSON of [[role, content with whitespace normalised], …], no spaces.
 */
export function promptContentKey(messages: readonly { role: string; content: string }[]): string {
  return JSON.stringify(messages.map((m) => [m.role, normaliseWhitespace(m.content)]));
}

/**
 * Train/test side of a prompt from its key alone, so every pair of a prompt lands on one side and a prompt
 * keeps its side across exports, databases and data added later. u = fmix32(FNV-1a-32(UTF-8 bytes of key)) / 2^32;
 * test when u < testFraction. Reproducible outside Podium: see docs/formats.md.
 */
export function splitOf(promptKey: string, testFraction: number): SplitSide {
  return splitPoint(promptKey) < testFraction ? 'test' : 'train';
}

/** The key's point in [0, 1). */
export function splitPoint(promptKey: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < promptKey.length; i++) {
    const code = promptKey.codePointAt(i) as number;
    if (code > 0xffff) i++;
    // Hash UTF-8 bytes, not UTF-16 units, so a Python or SQL re-implementation agrees on non-ASCII ids.
    if (code < 0x80) hash = fnvByte(hash, code);
    else if (code < 0x800) {
      hash = fnvByte(hash, 0xc0 | (code >> 6));
      hash = fnvByte(hash, 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      hash = fnvByte(hash, 0xe0 | (code >> 12));
      hash = fnvByte(hash, 0x80 | ((code >> 6) & 0x3f));
      hash = fnvByte(hash, 0x80 | (code & 0x3f));
    } else {
      hash = fnvByte(hash, 0xf0 | (code >> 18));
      hash = fnvByte(hash, 0x80 | ((code >> 12) & 0x3f));
      hash = fnvByte(hash, 0x80 | ((code >> 6) & 0x3f));
      hash = fnvByte(hash, 0x80 | (code & 0x3f));
    }
  }
  // FNV-1a alone leaves ids that differ only in their last digit close together in the high bits; murmur3's finaliser spreads them.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}
