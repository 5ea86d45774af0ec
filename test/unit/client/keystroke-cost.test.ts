import { describe, expect, it } from 'vitest';
import { commandFor, type KeyPress } from '../../../client/src/features/label/key-map.ts';
import { initialRanking, rankingReducer, type RankingState } from '../../../client/src/features/label/ranking-state.ts';
import { readyToSubmit } from '../../../client/src/features/label/submission.ts';

// What the README promises a K = 4 ranking costs in keys, found by the shortest path over the real key map: from a
// fresh task (top card chosen, nothing acted on) to the target order submitted, for each of the 4! orders.

type Screen = { ranking: RankingState; cursor: number; acted: boolean };
const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...mods });
const keys = [press('ArrowUp'), press('ArrowDown'), press('ArrowUp', { altKey: true }), press('ArrowDown', { altKey: true }), ...['1', '2', '3', '4'].map((k) => press(k))];

/** What one key does to the screen, as the ranking page's command handler does it; null for a submit. */
function step(s: Screen, key: KeyPress): Screen | null {
  const c = commandFor(key, 4);
  const i = s.ranking.order.indexOf(s.cursor);
  switch (c?.type) {
    case 'focus':
      return { ...s, cursor: s.ranking.order[Math.max(0, Math.min(3, i + c.by))] ?? s.cursor };
    case 'shift':
      return { ...s, ranking: rankingReducer(s.ranking, { type: 'shift', id: s.cursor, by: c.by }), acted: true };
    case 'place':
      return { ...s, ranking: rankingReducer(s.ranking, { type: 'move', id: s.cursor, to: c.position - 1 }), acted: true };
    default:
      return null;
  }
}

/** Fewest key presses from a fresh task to `target` submitted (the submit key included). */
function cost(target: number[]): number {
  const shown = [1, 2, 3, 4];
  // Shift+Enter: "the order shown is my ranking".
  if (target.join() === shown.join()) return 1;
  const id = (s: Screen) => `${s.ranking.order.join()}|${s.cursor}|${s.acted}`;
  let frontier: Screen[] = [{ ranking: initialRanking(shown, false), cursor: 1, acted: false }];
  const seen = new Set(frontier.map(id));
  for (let pressed = 0; frontier.length; pressed++) {
    const next: Screen[] = [];
    for (const s of frontier) {
      if (s.ranking.order.join() === target.join() && readyToSubmit({ acted: s.acted, notRankable: false, confirmed: false })) return pressed + 1;
      for (const k of keys) {
        const t = step(s, k);
        if (t && !seen.has(id(t))) {
          seen.add(id(t));
          next.push(t);
        }
      }
    }
    frontier = next;
  }
  return Infinity;
}

const orders = (rest: number[], head: number[] = []): number[][] => (rest.length ? rest.flatMap((x) => orders(rest.filter((y) => y !== x), [...head, x])) : [head]);

describe('what a K = 4 ranking costs in keys', () => {
  it('Enter alone never submits an untouched order; Shift+Enter does', () => {
    expect(commandFor(press('Enter'), 4)).toEqual({ type: 'submit' });
    expect(commandFor(press('Enter', { shiftKey: true }), 4)).toEqual({ type: 'confirm-order' });
    expect(readyToSubmit({ acted: false, notRankable: false, confirmed: false })).toBe(false);
    expect(readyToSubmit({ acted: false, notRankable: true, confirmed: false })).toBe(true);
    expect(readyToSubmit({ acted: false, notRankable: false, confirmed: true })).toBe(true);
  });

  it('1 key for the order shown, at most 6 and 4.2 on average over the 24 orders (the README figures)', () => {
    const costs = orders([1, 2, 3, 4]).map(cost);
    expect(costs).toHaveLength(24);
    expect(cost([1, 2, 3, 4])).toBe(1);
    // Swapping the top two: Alt+↓, Enter.
    expect(cost([2, 1, 3, 4])).toBe(2);
    expect(Math.max(...costs)).toBe(6);
    expect(Math.round((costs.reduce((a, b) => a + b, 0) / costs.length) * 10) / 10).toBe(4.2);
  });
});
