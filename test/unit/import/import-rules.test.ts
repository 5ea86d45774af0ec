import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkImportLine } from '../../../shared/import-line.ts';
import { normalisedHash, normaliseWhitespace, sameNormalised } from '../../../shared/normalise-text.ts';
import { importParser, parseImport, refusalMessage } from '../../../server/import/parse-import.ts';

const refused = (value: unknown, k = 4): string => {
  const check = checkImportLine(value, k);
  if (check.ok) throw new Error(`accepted ${JSON.stringify(value)}`);
  return check.message;
};
const user = (content: string) => ({ role: 'user', content });

describe('the rules a chat template needs (issue 11)', () => {
  it('accepts a system message first, turns in between, and a user turn last', () => {
    const check = checkImportLine({ messages: [{ role: 'system', content: 'Be brief.' }, user('Hi'), { role: 'assistant', content: 'Hello!' }, user('Capital of France?')] }, 4);
    expect(check).toMatchObject({ ok: true, warning: null });
  });

  it('refuses a conversation that ends with a system or an assistant turn, naming the message', () => {
    expect(refused({ messages: [user('Hi'), { role: 'system', content: 'Be brief.' }] })).toMatch(/^messages\.1: .*system turn; it must be a user turn/);
    expect(refused({ messages: [user('Hi'), { role: 'assistant', content: 'Hello' }] })).toMatch(/messages\.1: the last message is an assistant turn/);
    expect(refused({ messages: [{ role: 'system', content: 'Only a system message' }] })).toMatch(/must be a user turn/);
  });

  it('refuses a system message anywhere but first', () => {
    expect(refused({ messages: [user('Hi'), { role: 'system', content: 'late' }, user('Again')] })).toBe('messages.1: a system message may only come first');
  });

  it('refuses empty and whitespace-only texts: prompt, message content, response', () => {
    expect(refused({ prompt: '' })).toBe('prompt: is empty');
    expect(refused({ prompt: ' \n\t ' })).toBe('prompt: is empty');
    expect(refused({ messages: [{ role: 'system', content: '   ' }, user('Hi')] })).toBe('messages.0.content: is empty');
    expect(refused({ prompt: 'Hi', responses: ['fine', '\n\n'] })).toBe('responses.1: the text is empty');
    expect(refused({ prompt: 'Hi', responses: [{ text: ' ' }] })).toBe('responses.0: the text is empty');
  });

  it('refuses a role other than system, user, assistant and quotes it briefly', () => {
    expect(refused({ messages: [{ role: 'tool', content: '{}' }, user('Hi')] })).toBe('messages.0.role: "tool" is not a role (roles are system, user, assistant)');
    const long = refused({ messages: [{ role: 'x'.repeat(100_000), content: 'a' }, user('Hi')] });
    expect(long.length).toBeLessThan(200);
    expect(refused({ messages: [{ content: 'no role' }, user('Hi')] })).toMatch(/messages\.0\.role: missing is not a role/);
  });

  it('refuses two responses of one prompt that are the same text once whitespace is normalised', () => {
    expect(refused({ prompt: 'Capital?', responses: ['Paris.', ' Paris.\n'] })).toMatch(/^responses\.1: the same text as responses\.0/);
    expect(refused({ prompt: 'Capital?', responses: ['a', { text: 'It is\n\n  Paris.' }, 'b', 'It is Paris.'] })).toMatch(/^responses\.3: the same text as responses\.1/);
    // whitespace inside a word is not collapsed away: these are different texts
    expect(checkImportLine({ prompt: 'Capital?', responses: ['Par is', 'Paris'] }, 4).ok).toBe(true);
  });

  it('keeps the older rules: exactly one of prompt or messages, at most K responses, known fields only', () => {
    expect(refused({ prompt: 'a', messages: [user('b')] })).toBe('a line needs exactly one of "prompt" or "messages"');
    expect(refused({ prompt: 'a', responses: ['1', '2', '3'] }, 2)).toBe('has 3 responses; this project ranks 2 per prompt');
    expect(refused({ prompt: 'a', answer: 'b' })).toMatch(/unknown field "answer"/);
    expect(refused([1, 2])).toBe('a line must be a JSON object');
  });

  it('warns, without refusing, about a line with some but fewer than K responses', () => {
    expect(checkImportLine({ prompt: 'a', responses: ['1', '2'] }, 4)).toMatchObject({ ok: true, warning: expect.stringMatching(/^has 2 of 4 responses; .*not rankable/) });
    expect(checkImportLine({ prompt: 'a' }, 4)).toMatchObject({ ok: true, warning: null });
    expect(checkImportLine({ prompt: 'a', responses: ['1', '2', '3', '4'] }, 4)).toMatchObject({ ok: true, warning: null });
  });
});

describe('junk costs little and says little (issue 12)', () => {
  it('a line of a million bad entries gets one short message', () => {
    const many = Array.from({ length: 1_000_000 }, () => 1);
    expect(refused({ prompt: 'a', responses: many })).toBe('has 1000000 responses; this project ranks 4 per prompt');
    const message = refused({ messages: many });
    expect(message).toMatch(/; and more$/);
    expect(message.length).toBeLessThan(200);
    const keys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`key${i}`.padEnd(1000, 'x'), 1]));
    expect(refused({ prompt: 'a', ...keys }).length).toBeLessThan(400);
  });

  it('metadata nested deeper than 64 levels is refused, not a stack overflow further on', () => {
    const deep = JSON.parse(`{"prompt":"a","metadata":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`);
    expect(refused(deep)).toBe('metadata: nests deeper than 64 levels');
    expect(checkImportLine({ prompt: 'a', metadata: { x: { y: [[1]] } } }, 4).ok).toBe(true);
  });

  it('lists the first 100 bad lines and counts all of them; drops the good ones', () => {
    const text = [JSON.stringify({ id: 'good', prompt: 'fine' }), ...Array.from({ length: 300 }, () => '{"prompt": ""}')].join('\n');
    const parsed = parseImport(text, 4);
    expect(parsed.errors).toHaveLength(100);
    expect(parsed.errors[0]).toEqual({ line: 2, message: 'prompt: is empty' });
    expect(parsed.badLines).toBe(300);
    expect(parsed.stoppedAtLine).toBeNull();
    expect(parsed.prompts).toEqual([]);
    expect(refusalMessage(parsed)).toBe('300 bad lines; the first 100 are listed; nothing was imported');
  });

  it('stops checking once enough bad lines are counted, and says it is a lower bound', () => {
    const parser = importParser(4, { reportedLines: 3, countedBadLines: 5, messageChars: 30 });
    for (let i = 0; i < 20; i++) parser.push(i % 2 ? 'not json at all, and a long line '.repeat(10) : JSON.stringify({ prompt: `ok ${i}` }));
    expect(parser.stopped).toBe(true);
    const parsed = parser.finish();
    expect(parsed).toMatchObject({ badLines: 5, stoppedAtLine: 10 });
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 4, 6]);
    expect(parsed.errors.every((e) => e.message.length <= 31)).toBe(true);
    expect(refusalMessage(parsed)).toBe('at least 5 bad lines (checking stopped at line 10); the first 3 are listed; nothing was imported');
  });

  it('counts a repeated id as a bad line, also after an earlier bad one', () => {
    const parsed = parseImport(['{"id":"a","prompt":"x"}', '{}', '{"id":"a","prompt":"y"}'].join('\n'), 4);
    expect(parsed.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'a line needs exactly one of "prompt" or "messages"'],
      [3, 'id "a" is already on line 1'],
    ]);
  });

  it('an empty file is refused as having no prompts', () => {
    const parsed = parseImport('\n\n', 4);
    expect(parsed.errors).toEqual([{ line: 0, message: 'the file has no prompts' }]);
    expect(refusalMessage(parsed)).toBe('the file has no prompts; nothing was imported');
  });

  it('warnings are listed for the first 100 lines and counted for all', () => {
    const parsed = parseImport(Array.from({ length: 150 }, (_, i) => JSON.stringify({ prompt: `p${i}`, responses: ['one'] })).join('\n'), 2);
    expect(parsed.prompts).toHaveLength(150);
    expect(parsed.warnings).toHaveLength(100);
    expect(parsed.warningLines).toBe(150);
    expect(parsed.warnings[0]).toEqual({ line: 1, message: 'has 1 of 2 responses; it is imported but not rankable until it has 2 (sampling adds the missing 1)' });
  });
});

describe('the one-pass whitespace comparison', () => {
  const spacey = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', 'é') });
  it('agrees with normaliseWhitespace on every pair of strings (property)', () => {
    fc.assert(
      fc.property(spacey, spacey, (a, b) => {
        const same = normaliseWhitespace(a) === normaliseWhitespace(b);
        expect(sameNormalised(a, b)).toBe(same);
        if (same) expect(normalisedHash(a)).toBe(normalisedHash(b));
      }),
      { numRuns: 2000 },
    );
  });
  it('long texts that differ only past the hashed prefix are told apart, and equal ones are found', () => {
    const long = 'word '.repeat(10_000);
    expect(checkImportLine({ prompt: 'p', responses: [`${long}a`, `${long}b`] }, 2).ok).toBe(true);
    expect(checkImportLine({ prompt: 'p', responses: [`${long}a`, `${long.replaceAll(' ', '\n')}a`] }, 2)).toMatchObject({ ok: false, message: expect.stringMatching(/^responses\.1: the same text as responses\.0/) });
  });
  it('a text and its re-spaced copy are the same', () => {
    expect(sameNormalised('  It is\n\n Paris. ', 'It is Paris.')).toBe(true);
    expect(sameNormalised('It is Paris.', 'It is Paris!')).toBe(false);
  });
});
