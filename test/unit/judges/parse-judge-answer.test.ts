import { describe, expect, it } from 'vitest';
import { parseJudgeAnswer } from '../../../server/judges/parse-judge-answer.ts';

const overall = [{ key: 'overall', name: 'Overall' }];
const hhh = [
  { key: 'helpful', name: 'Helpful' },
  { key: 'honest', name: 'Honest' },
  { key: 'harmless', name: 'Harmless' },
];

describe('reading a judge answer', () => {
  it('reads a plain ranking with ties as tiers of display positions', () => {
    expect(parseJudgeAnswer('overall: A > B = C > D', overall, 4)).toEqual({ ok: true, rankings: { overall: [[0], [1, 2], [3]] } });
  });

  it('takes the final line after reasoning that mentions letters, and ignores markdown, brackets and "Response"', () => {
    const text = [
      'Let me compare. Response A is vague, so B > A on detail.',
      '',
      '**Overall:** [C] > (A) = Response B',
    ].join('\n');
    expect(parseJudgeAnswer(text, overall, 3)).toEqual({ ok: true, rankings: { overall: [[2], [0, 1]] } });
  });

  it('accepts a bare ranking line, lowercase letters, no spaces and a trailing period for a one-criterion project', () => {
    expect(parseJudgeAnswer('My ranking:\n```\nb>a>c.\n```', overall, 3)).toEqual({ ok: true, rankings: { overall: [[1], [0], [2]] } });
  });

  it('reads one line per criterion, by key or by name, in any order', () => {
    const text = 'Harmless: A = B = C\nhelpful: C > B > A\n- Honest — B > A = C';
    expect(parseJudgeAnswer(text, hhh, 3)).toEqual({ ok: true, rankings: { helpful: [[2], [1], [0]], honest: [[1], [0, 2]], harmless: [[0, 1, 2]] } });
  });

  it('fills criteria in order from unlabelled lines when there are exactly as many', () => {
    expect(parseJudgeAnswer('A > B\nB > A\nA = B', hhh, 2)).toEqual({ ok: true, rankings: { helpful: [[0], [1]], honest: [[1], [0]], harmless: [[0, 1]] } });
  });

  it('prefers the last full ranking to a later partial remark', () => {
    expect(parseJudgeAnswer('overall: B > A > C\nNote: A = C in style.', overall, 3)).toEqual({ ok: true, rankings: { overall: [[1], [0], [2]] } });
  });

  it('refuses prose with no ranking', () => {
    expect(parseJudgeAnswer('They are all quite good, honestly.', overall, 4)).toEqual({ ok: false, message: 'no ranking such as "A > B = C" in the answer' });
  });

  it('refuses a ranking that leaves a response out, names one twice, or names one that was not shown', () => {
    expect(parseJudgeAnswer('overall: A > B > C', overall, 4)).toMatchObject({ ok: false, message: expect.stringContaining('leaves out D') });
    expect(parseJudgeAnswer('overall: A > B > A > C', overall, 3)).toMatchObject({ ok: false, message: expect.stringContaining('names response A twice') });
    expect(parseJudgeAnswer('overall: A > B > E', overall, 2)).toMatchObject({ ok: false, message: expect.stringContaining('only 2') });
  });

  it('refuses an answer that ranks some criteria but not all', () => {
    expect(parseJudgeAnswer('helpful: A > B\nhonest: B > A', hhh, 2)).toEqual({ ok: false, message: 'no ranking line for harmless' });
  });

  it('does not read a ranking out of ordinary words', () => {
    expect(parseJudgeAnswer('I think a good answer is better.\nBad > worse', overall, 2)).toMatchObject({ ok: false });
  });
});
