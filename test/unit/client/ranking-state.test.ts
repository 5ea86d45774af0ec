import { describe, expect, it } from 'vitest';
import { initialRanking, rankingReducer, rankLabels, toTiers, type RankingAction, type RankingState } from '../../../client/src/features/label/ranking-state.ts';
import { toggleFlag, toSubmitBody } from '../../../client/src/features/label/submission.ts';
import { commandFor, commentCommand, keyLegend } from '../../../client/src/features/label/key-map.ts';

const run = (state: RankingState, ...actions: RankingAction[]) => actions.reduce(rankingReducer, state);
const start = (allowTies = true) => initialRanking([1, 2, 3, 4], allowTies);
/** Tiers written as "1>2=3>4", best first. */
const spec = (s: RankingState) => toTiers(s).map((t) => t.join('=')).join('>');

describe('ranking state', () => {
  it('starts in the display order, nothing tied', () => {
    const s = start();
    expect(toTiers(s)).toEqual([[1], [2], [3], [4]]);
    expect(rankLabels(s)).toEqual(['1', '2', '3', '4']);
  });

  it('moves a card to a position and shifts it one step, clamped at the ends', () => {
    expect(spec(run(start(), { type: 'move', id: 4, to: 0 }))).toBe('4>1>2>3');
    expect(spec(run(start(), { type: 'move', id: 1, to: 2 }))).toBe('2>3>1>4');
    expect(spec(run(start(), { type: 'move', id: 1, to: 99 }))).toBe('2>3>4>1');
    expect(spec(run(start(), { type: 'shift', id: 3, by: -1 }))).toBe('1>3>2>4');
    const s = start();
    expect(run(s, { type: 'shift', id: 1, by: -1 })).toBe(s);
    expect(run(s, { type: 'shift', id: 4, by: 1 })).toBe(s);
    expect(run(s, { type: 'move', id: 9, to: 0 })).toBe(s);
  });

  it('ties a card with the one above and unties it again', () => {
    const tied = run(start(), { type: 'toggle-tie', id: 3 });
    expect(toTiers(tied)).toEqual([[1], [2, 3], [4]]);
    expect(rankLabels(tied)).toEqual(['1', '=2', '=2', '4']);
    expect(spec(run(tied, { type: 'toggle-tie', id: 3 }))).toBe('1>2>3>4');
    // The first card has nothing above it.
    expect(run(start(), { type: 'toggle-tie', id: 1 })).toEqual(start());
  });

  it('builds a three-way tie and splits it in the middle', () => {
    const s = run(start(), { type: 'toggle-tie', id: 2 }, { type: 'toggle-tie', id: 3 });
    expect(spec(s)).toBe('1=2=3>4');
    expect(rankLabels(s)).toEqual(['=1', '=1', '=1', '4']);
    expect(spec(run(s, { type: 'toggle-tie', id: 3 }))).toBe('1=2>3>4');
    expect(spec(run(s, { type: 'toggle-tie', id: 2 }))).toBe('1>2=3>4');
  });

  it('ignores ties when the project does not allow them', () => {
    const s = start(false);
    expect(run(s, { type: 'toggle-tie', id: 2 })).toBe(s);
  });

  it('a moved card leaves its tie; the rest of the tie stays together', () => {
    const s = run(start(), { type: 'toggle-tie', id: 2 }, { type: 'toggle-tie', id: 3 }); // 1=2=3>4
    expect(spec(run(s, { type: 'move', id: 1, to: 3 }))).toBe('2=3>4>1');
    expect(spec(run(s, { type: 'move', id: 2, to: 3 }))).toBe('1=3>4>2');
    expect(spec(run(s, { type: 'move', id: 3, to: 3 }))).toBe('1=2>4>3');
    expect(spec(run(s, { type: 'shift', id: 1, by: -1 }))).toBe('1=2=3>4');
    // The head of a tie moving up out of it: the next card heads the tie.
    const t = run(start(), { type: 'toggle-tie', id: 3 }); // 1>2=3>4
    expect(spec(run(t, { type: 'move', id: 2, to: 0 }))).toBe('2>1>3>4');
    expect(rankLabels(run(t, { type: 'move', id: 2, to: 0 }))).toEqual(['1', '2', '3', '4']);
  });

  it('a card dropped between two tied cards joins their tie; at a tie boundary it stands alone', () => {
    const t = run(start(), { type: 'toggle-tie', id: 3 }); // 1>2=3>4
    expect(spec(run(t, { type: 'move', id: 4, to: 2 }))).toBe('1>2=4=3');
    expect(spec(run(t, { type: 'move', id: 4, to: 1 }))).toBe('1>4>2=3');
    expect(spec(run(t, { type: 'move', id: 1, to: 2 }))).toBe('2=3>1>4');
    // Stepping down through a tie: into it, then out below it.
    const once = run(t, { type: 'shift', id: 1, by: 1 });
    expect(spec(once)).toBe('2=1=3>4');
    expect(spec(run(once, { type: 'shift', id: 1, by: 1 }))).toBe('2=3>1>4');
  });

  it('putting a card back at its own place changes nothing, not even its tie', () => {
    const t = run(start(), { type: 'toggle-tie', id: 3 });
    expect(run(t, { type: 'move', id: 3, to: 2 })).toBe(t);
  });

  it('always yields every id exactly once, whatever the sequence of actions', () => {
    let s = start();
    const actions: RankingAction[] = [];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 500; i++) {
      const id = 1 + rand(4);
      const kind = rand(3);
      const action: RankingAction = kind === 0 ? { type: 'move', id, to: rand(4) } : kind === 1 ? { type: 'shift', id, by: rand(2) ? 1 : -1 } : { type: 'toggle-tie', id };
      actions.push(action);
      s = rankingReducer(s, action);
      expect(toTiers(s).flat().sort()).toEqual([1, 2, 3, 4]);
      expect(s.tied[0]).toBe(false);
      expect(s.tied).toHaveLength(4);
    }
  });
});

describe('the submitted body', () => {
  it('carries the tiers, flags in a fixed order, the trimmed comment and the time', () => {
    let flags = toggleFlag({}, 2, 'off-instruction');
    flags = toggleFlag(flags, 2, 'harmful');
    flags = toggleFlag(flags, 3, 'factually-wrong');
    flags = toggleFlag(flags, 3, 'factually-wrong');
    expect(flags).toEqual({ 2: ['harmful', 'off-instruction'] });
    expect(toSubmitBody({ tiers: [[1], [2, 3]], notRankable: false, flags, comment: '  B is rude \n', durationMs: 1234.6 })).toEqual({
      ranking: [[1], [2, 3]],
      notRankable: false,
      flags: { '2': ['harmful', 'off-instruction'] },
      comment: 'B is rude',
      durationMs: 1235,
    });
  });

  it('sends no tiers when the task is not rankable', () => {
    expect(toSubmitBody({ tiers: [[1], [2]], notRankable: true, flags: {}, comment: '', durationMs: 5 })).toEqual({ notRankable: true, flags: {}, comment: '', durationMs: 5 });
  });
});

describe('the key map', () => {
  const press = (key: string, mods: Partial<{ altKey: boolean; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) =>
    commandFor({ key, altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...mods }, 4);

  it('moves focus, moves cards, places by digit within K', () => {
    expect(press('ArrowDown')).toEqual({ type: 'focus', by: 1 });
    expect(press('k')).toEqual({ type: 'focus', by: -1 });
    expect(press('ArrowUp', { altKey: true })).toEqual({ type: 'shift', by: -1 });
    expect(press('ArrowDown', { shiftKey: true })).toEqual({ type: 'shift', by: 1 });
    expect(press('J', { shiftKey: true })).toEqual({ type: 'shift', by: 1 });
    expect(press('3')).toEqual({ type: 'place', position: 3 });
    expect(press('5')).toBeNull();
  });

  it('ties, flags, submits, and leaves browser shortcuts alone', () => {
    expect(press('t')).toEqual({ type: 'tie' });
    expect(press('=')).toEqual({ type: 'tie' });
    expect(press('w')).toEqual({ type: 'flag', flag: 'factually-wrong' });
    expect(press('Enter')).toEqual({ type: 'submit' });
    expect(press('c', { ctrlKey: true })).toBeNull();
    expect(press('r', { metaKey: true })).toBeNull();
    expect(press('x')).toBeNull();
  });

  it('Shift+Enter confirms the order shown, e shows a long response whole, and the legend lists both', () => {
    expect(press('Enter', { shiftKey: true })).toEqual({ type: 'confirm-order' });
    expect(press('Enter', { altKey: true })).toBeNull();
    expect(press('e')).toEqual({ type: 'expand' });
    const legend = keyLegend(4, true).flatMap((item) => item.keys);
    expect(legend).toEqual(expect.arrayContaining(['Enter', 'Shift+Enter', 'e']));
  });

  it('in the comment box Enter adds a line, Ctrl+Enter or ⌘+Enter submits, Esc leaves, and the legend says so', () => {
    const inComment = (key: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) =>
      commentCommand({ key, altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...mods });
    expect(inComment('Enter')).toBeNull();
    expect(inComment('Enter', { shiftKey: true })).toBeNull();
    expect(inComment('Enter', { ctrlKey: true })).toBe('submit');
    expect(inComment('Enter', { metaKey: true })).toBe('submit');
    expect(inComment('Escape')).toBe('leave');
    expect(inComment('n')).toBeNull();
    // Outside the comment box Ctrl+Enter is the browser's: the legend must not promise it there.
    expect(press('Enter', { ctrlKey: true })).toBeNull();
    const legend = keyLegend(4, true);
    expect(legend.find((i) => i.keys.includes('Ctrl+Enter'))?.more).toMatch(/in the comment box/);
    expect(legend.find((i) => i.keys.includes('Esc'))?.more).toMatch(/in the comment box/);
    expect(legend.find((i) => i.keys.includes('c'))?.more).toMatch(/Enter there adds a line/);
  });
});
