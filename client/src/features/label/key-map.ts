import type { Flag } from '../../../../shared/tasks.ts';

export type KeyCommand =
  | { type: 'focus'; by: -1 | 1 }
  | { type: 'shift'; by: -1 | 1 }
  | { type: 'place'; position: number }
  | { type: 'tie' }
  | { type: 'flag'; flag: Flag }
  | { type: 'not-rankable' }
  | { type: 'skip' }
  | { type: 'comment' }
  | { type: 'guidelines' }
  /** Show all of the chosen response's text, or fold it again. */
  | { type: 'expand' }
  /** The previous (-1) or next (+1) criterion, on a task ranked by more than one. */
  | { type: 'criterion'; by: -1 | 1 }
  /** Take over the previous criterion's order as this one's ranking. */
  | { type: 'same-as-previous' }
  | { type: 'submit' }
  /** Submit the order exactly as shown: the labeler's explicit "this is my ranking" when no card needs to move. */
  | { type: 'confirm-order' };

/** The parts of a KeyboardEvent the map reads, so it can be tested without a DOM. */
export type KeyPress = { key: string; altKey: boolean; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean };

const flagKeys: Record<string, Flag> = { h: 'harmful', w: 'factually-wrong', o: 'off-instruction' };

/** One key press on the ranking list → what it does, or null when the page should not take it. */
export function commandFor(e: KeyPress, responses: number, criteria = 1): KeyCommand | null {
  // Browser and OS shortcuts (copy, reload, find…) stay theirs.
  if (e.ctrlKey || e.metaKey) return null;
  const moveKey = e.altKey || e.shiftKey;
  switch (e.key) {
    case 'ArrowUp':
      return moveKey ? { type: 'shift', by: -1 } : { type: 'focus', by: -1 };
    case 'ArrowDown':
      return moveKey ? { type: 'shift', by: 1 } : { type: 'focus', by: 1 };
    case 'k':
      return { type: 'focus', by: -1 };
    case 'j':
      return { type: 'focus', by: 1 };
    case 'K':
      return { type: 'shift', by: -1 };
    case 'J':
      return { type: 'shift', by: 1 };
    case 'Enter':
      if (e.altKey) return null;
      return e.shiftKey ? { type: 'confirm-order' } : { type: 'submit' };
  }
  if (e.altKey) return null;
  // Read the character, not the key code: AZERTY types digits with Shift, the keypad with NumLock.
  if (/^[1-9]$/.test(e.key)) {
    const position = Number(e.key);
    return position <= responses ? { type: 'place', position } : null;
  }
  // Some layouts type "=" with Shift; other shifted letters are left alone (J and K are handled above).
  if (e.shiftKey && e.key !== '=') return null;
  switch (e.key) {
    case 't':
    case '=':
      return { type: 'tie' };
    case 'n':
      return { type: 'not-rankable' };
    case 's':
      return { type: 'skip' };
    case 'c':
      return { type: 'comment' };
    case 'g':
      return { type: 'guidelines' };
    case 'e':
      return { type: 'expand' };
  }
  // Criteria keys exist only where there is more than one criterion; elsewhere they stay the browser's.
  if (criteria > 1) {
    switch (e.key) {
      case '[':
        return { type: 'criterion', by: -1 };
      case ']':
        return { type: 'criterion', by: 1 };
      case 'p':
        return { type: 'same-as-previous' };
    }
  }
  const flag = flagKeys[e.key];
  return flag ? { type: 'flag', flag } : null;
}

/** In the comment box keys are text (Enter adds a line) but for these two: Ctrl+Enter (⌘+Enter) submits, Esc leaves. */
export function commentCommand(e: KeyPress): 'submit' | 'leave' | null {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return 'submit';
  return e.key === 'Escape' ? 'leave' : null;
}

/** What the legend on screen says; kept beside the map so the two cannot drift apart. */
export function keyLegend(responses: number, allowTies: boolean, criteria = 1): { keys: string[]; does: string; more: string }[] {
  const criteriaKeys =
    criteria > 1
      ? [
          { keys: ['[', ']'], does: 'criterion', more: 'the previous / next criterion (Enter also goes on to the next one not ranked yet)' },
          { keys: ['p'], does: 'same as previous', more: 'rank this criterion in the same order as the previous one (ties included)' },
        ]
      : [];
  return [
    { keys: ['↑', '↓'], does: 'choose', more: 'choose a response (also k / j)' },
    { keys: ['Alt+↑', 'Alt+↓'], does: 'move', more: 'move the chosen response up / down (also Shift+↑ / ↓)' },
    { keys: [`1–${responses}`], does: 'put at rank', more: 'put the chosen response at that rank' },
    ...(allowTies ? [{ keys: ['t'], does: 'tie / untie', more: 'tie the chosen response with the one above, or break that tie (also =)' }] : []),
    { keys: ['h', 'w', 'o'], does: 'flags', more: 'flag the chosen response: harmful / factually wrong / off-instruction' },
    { keys: ['n'], does: 'not rankable', more: 'mark the task not rankable (all bad)' },
    { keys: ['c'], does: 'comment', more: 'write a comment; Enter there adds a line' },
    { keys: ['Ctrl+Enter'], does: 'submit from the comment', more: 'in the comment box: submit (also ⌘+Enter); Enter there adds a line' },
    { keys: ['Esc'], does: 'leave the comment', more: 'in the comment box: back to the list, where the keys work again' },
    { keys: ['s'], does: 'skip', more: 'skip the task with a reason' },
    { keys: ['e'], does: 'show all', more: 'show all of a long response, or fold it again' },
    { keys: ['g'], does: 'guidelines', more: 'show / hide the guidelines' },
    ...criteriaKeys,
    criteria > 1
      ? { keys: ['Enter'], does: 'next criterion / submit', more: 'this criterion is ranked: on to the next one, or submit once every criterion is (Ctrl+Enter in the comment box)' }
      : { keys: ['Enter'], does: 'submit', more: 'submit, once you have moved, placed or tied a card (Ctrl+Enter in the comment box)' },
    { keys: ['Shift+Enter'], does: 'order shown is my ranking', more: criteria > 1 ? 'the order as it is shown is this criterion\'s ranking, without moving a card' : 'submit the order as it is shown, without moving a card' },
  ];
}
