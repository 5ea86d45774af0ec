import { describe, expect, it } from 'vitest';
import { commentInReaderLetters, commentLetters } from '../../../client/src/components/comment-letters.ts';

// Responses 11, 12, 13, 14 are A, B, C, D on the lead's page; this labeler was shown 13, 11, 14, 12,
// so their A is the lead's C, their B the lead's A, their C the lead's D and their D the lead's B.
const shownOrder = [13, 11, 14, 12];
const leadLetters = new Map([
  [11, 'A'],
  [12, 'B'],
  [13, 'C'],
  [14, 'D'],
]);
const translate = (comment: string) => commentInReaderLetters(commentLetters(comment, shownOrder, leadLetters));

describe('a comment in the lead’s letters', () => {
  it('turns each of the labeler’s letters into the lead’s, written theirs→ours', () => {
    expect(translate('B and C are close.')).toBe('B→A and C→D are close.');
    expect(translate('A>B=C, D off topic')).toBe('A→C>B→A=C→D, D→B off topic');
    expect(commentLetters('B is best', shownOrder, leadLetters)).toEqual([{ theirs: 'B', ours: 'A' }, { text: ' is best' }]);
  });

  it('leaves a letter alone where the two orders agree, and letters past K or inside words untouched', () => {
    expect(commentLetters('D wins', [11, 12, 13, 14], leadLetters)).toEqual([{ theirs: 'D', ours: 'D' }, { text: ' wins' }]);
    expect(commentInReaderLetters(commentLetters('D wins', [11, 12, 13, 14], leadLetters))).toBe('D wins');
    expect(translate('E and F do not exist; BBC, DNA, B2 and C-3PO are words.')).toBe('E and F do not exist; BBC, DNA, B2 and C→D-3PO are words.');
  });

  it('reads "A" and "I" before an ordinary word as English, before a verb as a response', () => {
    expect(translate('A good start, but I think B is wrong.')).toBe('A good start, but I think B→A is wrong.');
    expect(translate('A is wrong and I agree.')).toBe('A→C is wrong and I agree.');
    expect(translate('A beats D.')).toBe('A→C beats D→B.');
  });

  it('keeps a comment without letters as it is, empty included', () => {
    expect(commentLetters('all fine', shownOrder, leadLetters)).toEqual([{ text: 'all fine' }]);
    expect(commentLetters('', shownOrder, leadLetters)).toEqual([]);
  });
});
