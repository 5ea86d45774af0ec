/** A piece of a comment: plain text, or one response letter as its writer saw it and as the reader sees it. */
export type CommentPart = { text: string } | { theirs: string; ours: string };

// After a lone "A" or "I", these words make it a response ("A is wrong", "I beats C"); any other lowercase
// word makes it the article or the pronoun ("A good start", "I think B").
const verbsAfterALetter = new Set(
  'is was has had and or but vs than over beats beat wins won loses lost ties tied gets got ranks seems looks reads ignores misses gives says answers repeats contains uses should could would might must can does did are were'.split(' '),
);

const letterAt = /(?<![\p{L}\p{N}_])([A-I])(?![\p{L}\p{N}_])/gu;

/**
 * Splits a labeler's comment so every response letter in it can be shown in the reader's lettering.
 * A labeler saw the responses in their own shuffled order and lettered them A, B, … in that order
 * (`shownOrder`, response ids); `readerLetters` names each response id the way the reader's page does.
 * Only capital letters standing alone count, up to the number of responses; "A" and "I" followed by a
 * lowercase word other than a verb are read as English.
 */
export function commentLetters(comment: string, shownOrder: readonly number[], readerLetters: ReadonlyMap<number, string>): CommentPart[] {
  const parts: CommentPart[] = [];
  let last = 0;
  for (const match of comment.matchAll(letterAt)) {
    const letter = match[1] ?? '';
    const index = letter.charCodeAt(0) - 65;
    const id = shownOrder[index];
    const ours = id === undefined ? undefined : readerLetters.get(id);
    if (ours === undefined || readAsEnglish(letter, comment.slice(match.index + 1))) continue;
    if (match.index > last) parts.push({ text: comment.slice(last, match.index) });
    parts.push({ theirs: letter, ours });
    last = match.index + 1;
  }
  if (last < comment.length) parts.push({ text: comment.slice(last) });
  return parts;
}

function readAsEnglish(letter: string, after: string): boolean {
  if (letter !== 'A' && letter !== 'I') return false;
  const next = /^\s+([a-z]+)/.exec(after)?.[1];
  return next !== undefined && !verbsAfterALetter.has(next);
}

/** The comment as one line of text in the reader's letters, a changed letter written "B→C". */
export function commentInReaderLetters(parts: readonly CommentPart[]): string {
  return parts.map((p) => ('text' in p ? p.text : p.theirs === p.ours ? p.ours : `${p.theirs}→${p.ours}`)).join('');
}
