import { describe, expect, it } from 'vitest';
import { parseDraft } from '../../../client/src/features/label/task-draft.ts';

const ids = [11, 12, 13, 14];
const now = 1_800_000_000_000;
const draft = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ order: [13, 11, 12, 14], tied: [false, false, true, false], flags: { 12: ['off-instruction', 'harmful'] }, notRankable: false, comment: 'B rambles', elapsedMs: 41_000, savedAt: now - 60_000, ...over });

describe('parseDraft', () => {
  it('gives back what the labeler left on the task, flags in their fixed order', () => {
    expect(parseDraft(draft(), ids, true, now)).toEqual({
      order: [13, 11, 12, 14],
      tied: [false, false, true, false],
      flags: { 12: ['harmful', 'off-instruction'] },
      notRankable: false,
      comment: 'B rambles',
      elapsedMs: 41_000,
      savedAt: now - 60_000,
    });
  });

  it('ignores a draft that no longer fits the task rather than trusting it', () => {
    expect(parseDraft(null, ids, true, now)).toBeNull();
    expect(parseDraft('{not json', ids, true, now)).toBeNull();
    // another task's responses, a response twice, one missing
    expect(parseDraft(draft({ order: [13, 11, 12, 99] }), ids, true, now)).toBeNull();
    expect(parseDraft(draft({ order: [13, 13, 12, 14] }), ids, true, now)).toBeNull();
    expect(parseDraft(draft({ order: [13, 11, 12], tied: [false, false, false] }), ids, true, now)).toBeNull();
    // ties where the project allows none, or a first card "tied" with nothing above it
    expect(parseDraft(draft(), ids, false, now)).toBeNull();
    expect(parseDraft(draft({ tied: [true, false, false, false] }), ids, true, now)).toBeNull();
    // flags on a response that is not in the task
    expect(parseDraft(draft({ flags: { 99: ['harmful'] } }), ids, true, now)).toBeNull();
    // older than a day, or from the future (a clock set back)
    expect(parseDraft(draft({ savedAt: now - 25 * 60 * 60 * 1000 }), ids, true, now)).toBeNull();
    expect(parseDraft(draft({ savedAt: now + 60 * 60 * 1000 }), ids, true, now)).toBeNull();
  });
});
