import { describe, expect, it } from 'vitest';
import { dropIndex, type CardBox } from '../../../client/src/features/label/drop-position.ts';

// Four cards stacked with no gap: a tall one (600 px) between short ones (100 px).
const stack = (heights: number[]): CardBox[] => {
  let top = 0;
  return heights.map((height) => {
    const box = { top, height };
    top += height;
    return box;
  });
};
const cards = stack([100, 600, 100, 100]); // tops 0, 100, 700, 800

describe('where a dragged card lands', () => {
  it('stays put while the pointer is between the middles of its neighbours', () => {
    expect(dropIndex(50, cards, 0)).toBe(0);
    expect(dropIndex(399, cards, 0)).toBe(0);
    expect(dropIndex(900, cards, 3)).toBe(3);
    expect(dropIndex(751, cards, 3)).toBe(3);
  });

  it('moves down past each card whose middle the pointer crossed, however tall', () => {
    expect(dropIndex(401, cards, 0)).toBe(1);
    expect(dropIndex(751, cards, 0)).toBe(2);
    expect(dropIndex(900, cards, 0)).toBe(3);
  });

  it('moves up the same way', () => {
    expect(dropIndex(749, cards, 3)).toBe(2);
    expect(dropIndex(399, cards, 3)).toBe(1);
    expect(dropIndex(10, cards, 3)).toBe(0);
  });

  it('lets the tall card held by its header land where the hand is, not where its centre is', () => {
    // Picked up at its header (y 110) and carried to the last card's lower half: its centre (y 1190 + 300) is far
    // below every card, but the hand is over the last card, past its middle, so it goes last.
    expect(dropIndex(860, cards, 1)).toBe(3);
    // Carried just over the third card's upper half: the hand has not crossed its middle, so it stays second.
    expect(dropIndex(720, cards, 1)).toBe(1);
    expect(dropIndex(60, cards, 1)).toBe(1);
    expect(dropIndex(40, cards, 1)).toBe(0);
  });
});
