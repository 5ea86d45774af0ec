import { describe, expect, it } from 'vitest';
import { promptFigures, promptPreview, reviewRow, sortReviewRows } from '../../../server/review/review-rows.ts';
import type { ReviewRow } from '../../../shared/review.ts';

describe('promptFigures', () => {
  it('gives the hand-worked W and pairwise agreement of three labelers, whatever order their tiers list ids in', () => {
    // a>b>c, a>b>c, c>b>a: rank sums 5, 6, 7, S = 2, W = 12·2 / (9·24) = 1/9; every response pair has one agreeing
    // and two disagreeing labeler pairs, so agreement = 3/9.
    const figures = promptFigures([[[1], [2], [3]], [[1], [2], [3]], [[3], [2], [1]]]);
    expect(figures.w).toBeCloseTo(1 / 9, 12);
    expect(figures.agreement).toBeCloseTo(1 / 3, 12);
  });

  it('counts a tie on one side as half, as the project figure does', () => {
    // a=b>c against a>b>c: (a,b) tied on one side → 0.5; (a,c) and (b,c) agree → 1 each; 2.5 / 3.
    expect(promptFigures([[[10, 20], [30]], [[10], [20], [30]]]).agreement).toBeCloseTo(2.5 / 3, 12);
  });

  it('has no figures for a single ranking', () => {
    expect(promptFigures([[[1], [2]]])).toEqual({ w: null, agreement: null });
    expect(promptFigures([])).toEqual({ w: null, agreement: null });
  });
});

describe('reviewRow and sortReviewRows', () => {
  const ranking = (tiers: number[][], extra: Partial<{ counted: boolean; notRankable: boolean; flagged: boolean; commented: boolean }> = {}) => ({
    tiers,
    counted: true,
    notRankable: false,
    flagged: false,
    commented: false,
    ...extra,
  });

  it('computes the figures over counted rankings only and counts flags, refusals and comments over all', () => {
    const row = reviewRow({
      promptId: 7,
      externalId: 'p7',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What   is\n2+2?' },
      ],
      excluded: false,
      extraLabelers: 1,
      rankings: [ranking([[1], [2]]), ranking([[1], [2]], { flagged: true, commented: true }), ranking([[2], [1]], { counted: false }), ranking([], { counted: false, notRankable: true })],
    });
    expect(row).toEqual({
      promptId: 7, externalId: 'p7', preview: 'What is 2+2?', rankings: 4, counted: 2, notRankable: 1, flagged: 1, comments: 1,
      w: 1, agreement: 1, excluded: false, extraLabelers: 1,
    });
  });

  it('puts the least agreed prompts first, prompts without a figure last, ties by prompt id', () => {
    const row = (promptId: number, w: number | null, flagged = 0): ReviewRow => ({
      promptId, externalId: `p${promptId}`, preview: '', rankings: 3, counted: 3, notRankable: 0, flagged, comments: 0, w, agreement: w, excluded: false, extraLabelers: 0,
    });
    const rows = [row(1, 0.9), row(2, null), row(3, 0.1, 2), row(4, 0.5), row(5, 0.1)];
    expect(sortReviewRows([...rows], 'w').map((r) => r.promptId)).toEqual([3, 5, 4, 1, 2]);
    expect(sortReviewRows([...rows], 'disagreement').map((r) => r.promptId)).toEqual([3, 5, 4, 1, 2]);
    expect(sortReviewRows([...rows], 'flags').map((r) => r.promptId)).toEqual([3, 1, 2, 4, 5]);
    expect(sortReviewRows([...rows], 'prompt').map((r) => r.promptId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('previews the last user turn on one line, cut short', () => {
    expect(promptPreview([{ role: 'user', content: 'x'.repeat(300) }])).toHaveLength(140);
    expect(promptPreview([{ role: 'user', content: 'first' }, { role: 'assistant', content: 'answer' }, { role: 'user', content: 'second' }])).toBe('second');
  });
});
