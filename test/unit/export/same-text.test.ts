import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseWhitespace, sameTextIgnoringWhitespace } from '../../../shared/normalise-text.ts';

describe('sameTextIgnoringWhitespace', () => {
  it('calls texts the same when only their whitespace differs', () => {
    expect(sameTextIgnoringWhitespace('Yes.', ' Yes.  ')).toBe(true);
    expect(sameTextIgnoringWhitespace('a  b\n\tc', 'a b c')).toBe(true);
    expect(sameTextIgnoringWhitespace('a\u00a0b', 'a b')).toBe(true);
    expect(sameTextIgnoringWhitespace('', ' \n ')).toBe(true);
    expect(sameTextIgnoringWhitespace('ab', 'a b')).toBe(false);
    expect(sameTextIgnoringWhitespace('a b', 'a')).toBe(false);
    expect(sameTextIgnoringWhitespace('Yes.', 'yes.')).toBe(false);
  });

  it('agrees with comparing normaliseWhitespace of both, on any texts', () => {
    const char = fc.constantFrom('a', 'b', ' ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '.', 'é');
    const text = fc.array(char, { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => sameTextIgnoringWhitespace(a, b) === (normaliseWhitespace(a) === normaliseWhitespace(b))),
      { numRuns: 5000 },
    );
  });
});
