import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseWhitespace, sameNormalised } from '../../../shared/normalise-text.ts';

describe('sameNormalised', () => {
  it('calls texts the same when only their whitespace differs', () => {
    expect(sameNormalised('Yes.', ' Yes.  ')).toBe(true);
    expect(sameNormalised('a  b\n\tc', 'a b c')).toBe(true);
    expect(sameNormalised('a\u00a0b', 'a b')).toBe(true);
    expect(sameNormalised('', ' \n ')).toBe(true);
    expect(sameNormalised('ab', 'a b')).toBe(false);
    expect(sameNormalised('a b', 'a')).toBe(false);
    expect(sameNormalised('Yes.', 'yes.')).toBe(false);
  });

  it('agrees with comparing normaliseWhitespace of both, on any texts', () => {
    const char = fc.constantFrom('a', 'b', ' ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '.', 'é');
    const text = fc.array(char, { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => sameNormalised(a, b) === (normaliseWhitespace(a) === normaliseWhitespace(b))),
      { numRuns: 5000 },
    );
  });
});
