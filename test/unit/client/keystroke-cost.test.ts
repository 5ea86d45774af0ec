import { describe, expect, it } from 'vitest';
import { commandFor, type KeyPress } from '../../../client/src/features/label/key-map.ts';
import {
  afterCriterion,
  criterionRankingsReducer,
  initialCriterionRankings,
  toCriterionRankings,
  type CriterionRankingsState,
} from '../../../client/src/features/label/criterion-rankings.ts';
import { readyToSubmit } from '../../../client/src/features/label/submission.ts';

// What the README promises a K = 4 ranking costs in keys, found by the shortest path over the real key map and the
// page's real per-criterion state: from a fresh task (top card chosen, nothing acted on) to the target orders
// submitted, for each of the 4! orders (one criterion) or 4! × 4! pairs of orders (two criteria).

type Screen = { work: CriterionRankingsState; cursor: number };
const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...mods });
const rankingKeys = [press('ArrowUp'), press('ArrowDown'), press('ArrowUp', { altKey: true }), press('ArrowDown', { altKey: true }), ...['1', '2', '3', '4'].map((k) => press(k))];
const finishKeys = [press('Enter'), press('Enter', { shiftKey: true })];
const criteriaKeys = [press('['), press(']'), press('p')];
const shown = [1, 2, 3, 4];
const keysOf = (n: number) => n.toString();

/** A screen after one key, as the ranking page's command handler does it: `submitted` once the task is sent. */
function step(s: Screen, key: KeyPress, criteria: number): Screen | { submitted: string } | null {
  const c = commandFor(key, 4, criteria);
  const order = s.work.works[s.work.active]?.ranking.order ?? [];
  const i = order.indexOf(s.cursor);
  const top = (work: CriterionRankingsState) => work.works[work.active]?.ranking.order[0] ?? s.cursor;
  const finish = (work: CriterionRankingsState): Screen | { submitted: string } | null => {
    const next = afterCriterion(work, false);
    if (next.type === 'untouched') return null;
    if (next.type === 'submit') {
      const rankings = toCriterionRankings(work, Array.from({ length: criteria }, (_, n) => keysOf(n)));
      // Each criterion's order, as the target orders are written: "2,1,3,4|1,2,3,4".
      return { submitted: Object.values(rankings).map((tiers) => tiers.flat().join()).join('|') };
    }
    const moved = criterionRankingsReducer(work, { type: 'switch', to: next.to });
    return { work: moved, cursor: top(moved) };
  };
  switch (c?.type) {
    case 'focus':
      return { ...s, cursor: order[Math.max(0, Math.min(3, i + c.by))] ?? s.cursor };
    case 'shift':
      return { ...s, work: criterionRankingsReducer(s.work, { type: 'rank', action: { type: 'shift', id: s.cursor, by: c.by } }) };
    case 'place':
      return { ...s, work: criterionRankingsReducer(s.work, { type: 'rank', action: { type: 'move', id: s.cursor, to: c.position - 1 } }) };
    case 'criterion': {
      const moved = criterionRankingsReducer(s.work, { type: 'switch', to: s.work.active + c.by });
      // Past the first or the last criterion the key does nothing (the chosen card stays chosen).
      return moved === s.work ? null : { work: moved, cursor: top(moved) };
    }
    case 'same-as-previous':
      return { ...s, work: criterionRankingsReducer(s.work, { type: 'same-as-previous' }) };
    case 'submit':
      return finish(s.work);
    case 'confirm-order':
      return finish(criterionRankingsReducer(s.work, { type: 'confirm' }));
    default:
      return null;
  }
}

/** Fewest key presses (the submit included) to each submittable set of orders, by one breadth-first search. */
function costs(criteria: number, sameOrderKey = true): Map<string, number> {
  const keys = [...rankingKeys, ...finishKeys, ...(criteria > 1 ? criteriaKeys.filter((k) => sameOrderKey || k.key !== 'p') : [])];
  const id = (s: Screen) => `${s.work.active}|${s.cursor}|${s.work.works.map((w) => `${w.ranking.order.join()}${w.acted ? 'a' : ''}${w.confirmed ? 'c' : ''}`).join('|')}`;
  const best = new Map<string, number>();
  let frontier: Screen[] = [{ work: initialCriterionRankings(shown, false, criteria), cursor: 1 }];
  const seen = new Set(frontier.map(id));
  for (let pressed = 1; frontier.length; pressed++) {
    const next: Screen[] = [];
    for (const s of frontier) {
      for (const k of keys) {
        const t = step(s, k, criteria);
        if (!t) continue;
        if ('submitted' in t) {
          if (!best.has(t.submitted)) best.set(t.submitted, pressed);
        } else if (!seen.has(id(t))) {
          seen.add(id(t));
          next.push(t);
        }
      }
    }
    frontier = next;
  }
  return best;
}

const orders = (rest: number[], head: number[] = []): number[][] => (rest.length ? rest.flatMap((x) => orders(rest.filter((y) => y !== x), [...head, x])) : [head]);
const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;

describe('what a K = 4 ranking costs in keys', () => {
  it('Enter alone never submits an untouched order; Shift+Enter does', () => {
    expect(commandFor(press('Enter'), 4)).toEqual({ type: 'submit' });
    expect(commandFor(press('Enter', { shiftKey: true }), 4)).toEqual({ type: 'confirm-order' });
    expect(readyToSubmit({ acted: false, notRankable: false, confirmed: false })).toBe(false);
    expect(readyToSubmit({ acted: false, notRankable: true, confirmed: false })).toBe(true);
    expect(readyToSubmit({ acted: false, notRankable: false, confirmed: true })).toBe(true);
  });

  it('1 key for the order shown, at most 6 and 4.2 on average over the 24 orders (the README figures)', () => {
    const best = costs(1);
    const all = orders(shown).map((o) => best.get(o.join()) ?? Infinity);
    expect(all).toHaveLength(24);
    expect(best.get('1,2,3,4')).toBe(1);
    // Swapping the top two: Alt+↓, Enter.
    expect(best.get('2,1,3,4')).toBe(2);
    expect(Math.max(...all)).toBe(6);
    expect(mean(all)).toBe(4.2);
  });

  it('two criteria: 2 keys for the order shown on both, 6.1 on average for one order on both, at most 11 and 7.7 on average over the 576 pairs (the README figures)', () => {
    const best = costs(2);
    const one = costs(1);
    const pairs = orders(shown).flatMap((a) => orders(shown).map((b) => [a, b] as const));
    const all = pairs.map(([a, b]) => best.get(`${a.join()}|${b.join()}`) ?? Infinity);
    expect(all).toHaveLength(576);
    // Shift+Enter, Shift+Enter.
    expect(best.get('1,2,3,4|1,2,3,4')).toBe(2);
    // Swap the top two, Enter, then p, Enter: the second criterion in the first one's order.
    expect(best.get('2,1,3,4|2,1,3,4')).toBe(4);
    // One order on both criteria never costs more than that order once, plus p and Enter.
    for (const a of orders(shown)) expect(best.get(`${a.join()}|${a.join()}`)).toBeLessThanOrEqual((one.get(a.join()) ?? 0) + 2);
    expect(Math.max(...all)).toBe(11);
    expect(mean(all)).toBe(7.7);
    // Labelers often rank both criteria alike: then p saves most.
    const same = (m: Map<string, number>) => mean(orders(shown).map((a) => m.get(`${a.join()}|${a.join()}`) ?? Infinity));
    expect(same(best)).toBe(6.1);
    // What p is worth: without it, 7.9 keys for one order on both criteria, 8.0 over all pairs.
    const withoutP = costs(2, false);
    expect(same(withoutP)).toBe(7.9);
    expect(mean(pairs.map(([a, b]) => withoutP.get(`${a.join()}|${b.join()}`) ?? Infinity))).toBe(8);
    // Three searches over ~100k screens each: seconds on a shared machine.
  }, 60_000);
});
