/**
 * Whitespace as JavaScript's `\s` has it (spelled out so a Python re-implementation can use the same class):
 * tab, LF, VT, FF, CR, space, NBSP, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
 */
const whitespaceRun = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

/** Text with every whitespace run made one space and none at either end: what "the same text" compares. */
export function normaliseWhitespace(text: string): string {
  return text.replace(whitespaceRun, ' ').trim();
}

function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/**
 * normaliseWhitespace(a) === normaliseWhitespace(b), without building either string: it walks both and stops at the
 * first difference, which for two different responses is nearly always within the first few characters.
 */
export function sameTextIgnoringWhitespace(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  // Leading whitespace never counts.
  while (i < a.length && isWhitespace(a.charCodeAt(i))) i++;
  while (j < b.length && isWhitespace(b.charCodeAt(j))) j++;
  for (;;) {
    const aSpace = i < a.length && isWhitespace(a.charCodeAt(i));
    const bSpace = j < b.length && isWhitespace(b.charCodeAt(j));
    if (aSpace || bSpace) {
      while (i < a.length && isWhitespace(a.charCodeAt(i))) i++;
      while (j < b.length && isWhitespace(b.charCodeAt(j))) j++;
      // A run counts as one space unless it is trailing: then both must have ended.
      if (i === a.length || j === b.length) return i === a.length && j === b.length;
      if (!(aSpace && bSpace)) return false;
      continue;
    }
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
    i++;
    j++;
  }
}
