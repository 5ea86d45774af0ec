/**
 * Whitespace as JavaScript's `\s` has it (spelled out so a Python re-implementation can use the same class):
 * tab, LF, VT, FF, CR, space, NBSP, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
 */
const whitespaceRun = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

/** Text with every whitespace run made one space and none at either end: what "the same text" compares. */
export function normaliseWhitespace(text: string): string {
  return text.replace(whitespaceRun, ' ').trim();
}

// Import and export compare texts with the two functions below instead of building normaliseWhitespace's strings: a
// regex replace costs about a microsecond per match, so one 4 MB response of single words took seconds.

/** The characters JavaScript's `\s` matches. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Where the text starts once its leading whitespace is trimmed. */
function trimmedStart(text: string): number {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  return start;
}

/** Where the text ends once its trailing whitespace is trimmed, never before `start` (two numbers, no tuple per call). */
function trimmedEnd(text: string, start: number): number {
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** How much of a text its hash covers: enough to tell apart texts that differ, little enough that a 20 MB response costs nothing. */
const hashedChars = 4096;

/**
 * FNV-1a of the first 4,096 characters of `normaliseWhitespace(text)`, computed in one pass without building it: a
 * bucket key, the same for texts that normalise the same; texts that share a bucket are told apart by `sameNormalised`,
 * which stops at their first difference.
 */
export function normalisedHash(text: string): number {
  const start = trimmedStart(text);
  const end = trimmedEnd(text, start);
  let h = 0x811c9dc5;
  for (let i = start, n = 0; i < end && n < hashedChars; i++, n++) {
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      while (isSpace(text.charCodeAt(i + 1))) i++;
      c = 32;
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

/** `normaliseWhitespace(a) === normaliseWhitespace(b)`, in one pass over both. */
export function sameNormalised(a: string, b: string): boolean {
  let i = trimmedStart(a);
  const endA = trimmedEnd(a, i);
  let j = trimmedStart(b);
  const endB = trimmedEnd(b, j);
  while (i < endA && j < endB) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isSpace(ca) || isSpace(cb)) {
      if (!isSpace(ca) || !isSpace(cb)) return false;
      // Inside the trimmed bounds every run of whitespace is followed by a non-space.
      while (isSpace(a.charCodeAt(i))) i++;
      while (isSpace(b.charCodeAt(j))) j++;
      continue;
    }
    if (ca !== cb) return false;
    i++;
    j++;
  }
  return i === endA && j === endB;
}

