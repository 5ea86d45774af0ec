import { useCallback, useEffect, useRef } from 'react';

/**
 * Which response card has the keyboard focus. A new task focuses its top card (a restored draft's top card, too) once
 * it is painted; a key that chooses or moves a card sets `focusWanted`, and the card is then focused and scrolled into
 * view after the render that shows it.
 */
export function useCardFocus(task: unknown, topCard: number | undefined, cursor: number | null) {
  const elements = useRef(new Map<number, HTMLElement>());
  const focusWanted = useRef(false);
  const firstTopCard = useRef(topCard);

  // After the first paint, so focusing does not delay it.
  useEffect(() => {
    const first = elements.current.get(firstTopCard.current ?? -1);
    const frame = requestAnimationFrame(() =>
      setTimeout(() => {
        if (!document.activeElement || document.activeElement === document.body) first?.focus({ preventScroll: true });
      }),
    );
    return () => cancelAnimationFrame(frame);
  }, [task]);
  useEffect(() => {
    if (!focusWanted.current || cursor === null) return;
    focusWanted.current = false;
    const el = elements.current.get(cursor);
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'nearest' });
  });

  const setElement = useCallback((id: number, el: HTMLElement | null) => {
    if (el) elements.current.set(id, el);
    else elements.current.delete(id);
  }, []);
  /** Focuses a card now, where the render that would move the focus may not come (the cursor did not change). */
  const focusNow = (id: number | null) => {
    const el = id === null ? undefined : elements.current.get(id);
    el?.focus({ preventScroll: true });
  };
  return { focusWanted, setElement, focusNow };
}
