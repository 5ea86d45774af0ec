/** A card's box in the list as laid out, before any drag transform: viewport top and height, in pixels. */
export type CardBox = { top: number; height: number };

/**
 * Where a dragged card lands: past every other card whose middle the pointer has crossed. The pointer, not the
 * dragged card's centre, decides: a tall card held by its header has its centre far below the hand, so a
 * centre-to-centre rule puts it a place off (or nowhere) among tall cards. `cards` are in list order; `from` is the
 * dragged card's index; the answer is its new index.
 */
export function dropIndex(pointerY: number, cards: readonly CardBox[], from: number): number {
  let to = from;
  cards.forEach((card, i) => {
    const middle = card.top + card.height / 2;
    if (i < from && pointerY < middle) to--;
    else if (i > from && pointerY > middle) to++;
  });
  return to;
}
