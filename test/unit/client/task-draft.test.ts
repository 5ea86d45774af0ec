import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../../client/src/features/label/task-draft.ts';

const ids = [11, 12, 13, 14];
const now = 1_800_000_000_000;
const one = ['overall'];
const draft = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ order: [13, 11, 12, 14], tied: [false, false, true, false], flags: { 12: ['off-instruction', 'harmful'] }, notRankable: false, comment: 'B rambles', elapsedMs: 41_000, savedAt: now - 60_000, ...over });

describe('parseDraft', () => {
  it('gives back what the labeler left on the task, flags in their fixed order', () => {
    expect(parseDraft(draft(), ids, true, one, now)).toEqual({
      // a draft saved before criteria (and before `acted` was kept): the first criterion's, acted on since its order moved
      rankings: [{ order: [13, 11, 12, 14], tied: [false, false, true, false], acted: true, confirmed: false }],
      active: 0,
      flags: { 12: ['harmful', 'off-instruction'] },
      notRankable: false,
      comment: 'B rambles',
      elapsedMs: 41_000,
      savedAt: now - 60_000,
    });
  });

  it('ignores a draft that no longer fits the task rather than trusting it', () => {
    expect(parseDraft(null, ids, true, one, now)).toBeNull();
    expect(parseDraft('{not json', ids, true, one, now)).toBeNull();
    // another task's responses, a response twice, one missing
    expect(parseDraft(draft({ order: [13, 11, 12, 99] }), ids, true, one, now)).toBeNull();
    expect(parseDraft(draft({ order: [13, 13, 12, 14] }), ids, true, one, now)).toBeNull();
    expect(parseDraft(draft({ order: [13, 11, 12], tied: [false, false, false] }), ids, true, one, now)).toBeNull();
    // ties where the project allows none, or a first card "tied" with nothing above it
    expect(parseDraft(draft(), ids, false, one, now)).toBeNull();
    expect(parseDraft(draft({ tied: [true, false, false, false] }), ids, true, one, now)).toBeNull();
    // flags on a response that is not in the task
    expect(parseDraft(draft({ flags: { 99: ['harmful'] } }), ids, true, one, now)).toBeNull();
    // older than a day, or from the future (a clock set back)
    expect(parseDraft(draft({ savedAt: now - 25 * 60 * 60 * 1000 }), ids, true, one, now)).toBeNull();
    expect(parseDraft(draft({ savedAt: now + 60 * 60 * 1000 }), ids, true, one, now)).toBeNull();
  });

  describe('on a task ranked by two criteria', () => {
    const two = ['helpful', 'harmless'];
    const stored = (over: Record<string, unknown> = {}) =>
      JSON.stringify({
        criteria: {
          helpful: { order: [12, 11, 13, 14], tied: [false, false, false, false], acted: true, confirmed: false },
          harmless: { order: [11, 12, 13, 14], tied: [false, false, false, false], acted: false, confirmed: true },
        },
        active: 'harmless',
        flags: {},
        notRankable: false,
        comment: '',
        elapsedMs: 9_000,
        savedAt: now - 1_000,
        ...over,
      });

    it("gives back each criterion's order, whether it was judged, and the criterion on screen", () => {
      expect(parseDraft(stored(), ids, true, two, now)).toMatchObject({
        rankings: [
          { order: [12, 11, 13, 14], acted: true, confirmed: false },
          { order: [11, 12, 13, 14], acted: false, confirmed: true },
        ],
        active: 1,
      });
    });

    it('starts a criterion the draft does not mention as shown, untouched', () => {
      const raw = JSON.stringify({ ...JSON.parse(stored()), criteria: { helpful: { order: [12, 11, 13, 14], tied: [false, false, false, false], acted: true } }, active: 'helpful' });
      expect(parseDraft(raw, ids, true, two, now)?.rankings[1]).toEqual({ order: ids, tied: [false, false, false, false], acted: false, confirmed: false });
    });

    it('ignores a draft naming a criterion the task does not have', () => {
      expect(parseDraft(stored(), ids, true, ['helpful', 'honest'], now)).toBeNull();
    });
  });
});
