import { describe, expect, it } from 'vitest';
import {
  afterCriterion,
  criterionRankingsReducer,
  initialCriterionRankings,
  toCriterionRankings,
  type CriterionRankingsAction,
  type CriterionRankingsState,
} from '../../../client/src/features/label/criterion-rankings.ts';
import { commandFor, keyLegend, type KeyPress } from '../../../client/src/features/label/key-map.ts';
import { toSubmitBody } from '../../../client/src/features/label/submission.ts';

const ids = [11, 12, 13, 14];
const run = (state: CriterionRankingsState, ...actions: CriterionRankingsAction[]) => actions.reduce(criterionRankingsReducer, state);
const fresh = () => initialCriterionRankings(ids, true, 2);

describe('a task ranked once per criterion', () => {
  it('starts every criterion from the order shown, untouched, the first on screen', () => {
    const s = fresh();
    expect(s.active).toBe(0);
    expect(s.works.map((w) => [w.ranking.order, w.acted, w.confirmed])).toEqual([
      [ids, false, false],
      [ids, false, false],
    ]);
  });

  it('changes only the criterion on screen', () => {
    const s = run(fresh(), { type: 'switch', to: 1 }, { type: 'rank', action: { type: 'move', id: 14, to: 0 } });
    expect(toCriterionRankings(s, ['helpful', 'harmless'])).toEqual({ helpful: [[11], [12], [13], [14]], harmless: [[14], [11], [12], [13]] });
    expect(s.works[0]?.acted).toBe(false);
    expect(s.works[1]?.acted).toBe(true);
  });

  it('applies the untouched rule per criterion: Enter goes on once this one is judged, and submits once all are', () => {
    let s = fresh();
    expect(afterCriterion(s, false)).toEqual({ type: 'untouched' });
    s = run(s, { type: 'rank', action: { type: 'toggle-tie', id: 12 } });
    expect(afterCriterion(s, false)).toEqual({ type: 'go', to: 1 });
    s = run(s, { type: 'switch', to: 1 });
    // The second criterion came as shown: still no ranking.
    expect(afterCriterion(s, false)).toEqual({ type: 'untouched' });
    s = run(s, { type: 'confirm' });
    expect(afterCriterion(s, false)).toEqual({ type: 'submit' });
    // "Not rankable" is about the task: it submits whatever the criteria say.
    expect(afterCriterion(fresh(), true)).toEqual({ type: 'submit' });
  });

  it('from the last criterion, Enter goes back to one left unjudged before it', () => {
    const s = run(fresh(), { type: 'switch', to: 1 }, { type: 'rank', action: { type: 'shift', id: 11, by: 1 } });
    expect(afterCriterion(s, false)).toEqual({ type: 'go', to: 0 });
  });

  it('"same as previous" takes over the previous order and its ties as a judgement, and does nothing on the first criterion', () => {
    const first = run(fresh(), { type: 'rank', action: { type: 'move', id: 13, to: 0 } }, { type: 'rank', action: { type: 'toggle-tie', id: 11 } });
    expect(run(first, { type: 'same-as-previous' })).toBe(first);
    const s = run(first, { type: 'switch', to: 1 }, { type: 'same-as-previous' });
    expect(toCriterionRankings(s, ['a', 'b'])).toEqual({ a: [[13, 11], [12], [14]], b: [[13, 11], [12], [14]] });
    expect(afterCriterion(s, false)).toEqual({ type: 'submit' });
  });

  it('keeps the switch within the criteria', () => {
    expect(run(fresh(), { type: 'switch', to: 5 }).active).toBe(1);
    const s = fresh();
    expect(run(s, { type: 'switch', to: -1 })).toBe(s);
  });
});

describe('the submit body of a task with criteria', () => {
  it('sends `rankings` with every criterion instead of `ranking`', () => {
    expect(toSubmitBody({ tiers: [[1], [2]], rankings: { helpful: [[1], [2]], harmless: [[2], [1]] }, notRankable: false, flags: {}, comment: '', durationMs: 3 })).toEqual({
      rankings: { helpful: [[1], [2]], harmless: [[2], [1]] },
      notRankable: false,
      flags: {},
      comment: '',
      durationMs: 3,
    });
  });
});

describe('the criteria keys', () => {
  const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...mods });

  it('are [ ] and p on a task with two or more criteria, and nothing on a one-criterion task', () => {
    expect(commandFor(press('['), 4, 2)).toEqual({ type: 'criterion', by: -1 });
    expect(commandFor(press(']'), 4, 2)).toEqual({ type: 'criterion', by: 1 });
    expect(commandFor(press('p'), 4, 2)).toEqual({ type: 'same-as-previous' });
    for (const key of ['[', ']', 'p']) expect(commandFor(press(key), 4, 1)).toBeNull();
  });

  it('clash with no key the ranking page already has', () => {
    const before = ['[', ']', 'p'].map((key) => commandFor(press(key), 4));
    expect(before).toEqual([null, null, null]);
    // Every other key means the same with and without criteria.
    for (const key of ['ArrowUp', 'ArrowDown', 'j', 'k', 'J', 'K', '1', '4', 't', '=', 'h', 'w', 'o', 'n', 's', 'c', 'g', 'e', 'Enter'])
      expect(commandFor(press(key), 4, 3)).toEqual(commandFor(press(key), 4, 1));
  });

  it('are in the legend only where they work', () => {
    const keysOf = (criteria: number) => keyLegend(4, true, criteria).flatMap((item) => item.keys);
    expect(keysOf(2)).toEqual(expect.arrayContaining(['[', ']', 'p']));
    expect(keysOf(1)).not.toContain('p');
  });
});
