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
  | { type: 'submit' };

/** The parts of a KeyboardEvent the map reads, so it can be tested without a DOM. */
export type KeyPress = { key: string; altKey: boolean; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean };

const flagKeys: Record<string, Flag> = { h: 'harmful', w: 'factually-wrong', o: 'off-instruction' };

/** One key press on the ranking list → what it does, or null when the page should not take it. */
export function commandFor(e: KeyPress, responses: number): KeyCommand | null {
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
      return e.shiftKey || e.altKey ? null : { type: 'submit' };
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
  }
  const flag = flagKeys[e.key];
  return flag ? { type: 'flag', flag } : null;
}

/** What the legend on screen says; kept beside the map so the two cannot drift apart. */
export function keyLegend(responses: number, allowTies: boolean): { keys: string[]; does: string }[] {
  return [
    { keys: ['↑', '↓'], does: 'choose a response (or k / j)' },
    { keys: ['Alt+↑', 'Alt+↓'], does: 'move it up / down (or Shift+↑ / ↓)' },
    { keys: [`1–${responses}`], does: 'put it at that rank' },
    ...(allowTies ? [{ keys: ['t'], does: 'tie with the one above / untie (or =)' }] : []),
    { keys: ['h', 'w', 'o'], does: 'flag harmful / wrong / off-instruction' },
    { keys: ['n'], does: 'not rankable (all bad)' },
    { keys: ['c'], does: 'comment' },
    { keys: ['s'], does: 'skip with a reason' },
    { keys: ['g'], does: 'guidelines' },
    { keys: ['Enter'], does: 'submit (Ctrl+Enter in the comment)' },
  ];
}
