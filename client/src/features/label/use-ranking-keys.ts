import { useEffect, useRef } from 'react';
import { commandFor, type KeyCommand } from './key-map.ts';

/** Where keys are text, not commands: the comment box, the skip reason, anything editable. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** Enter or Space on a focused link or button outside the ranking list does what that control does. */
function isNativeActivation(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' && e.key !== ' ') return false;
  if (!(e.target instanceof HTMLElement)) return false;
  if (e.target.closest('a[href]')) return true;
  return e.target.closest('[data-ranking-list]') === null && e.target.closest('button, summary, [role="button"]') !== null;
}

export type RankingKeysOptions = {
  responses: number;
  /** How many criteria the task is ranked by; their keys exist only when there are two or more. */
  criteria: number;
  /** False while a drag, a request or a dialog owns the keyboard. */
  enabled: boolean;
  onCommand: (command: KeyCommand) => void;
};

/** The ranking page's keyboard: one listener on the document, so keys work wherever focus rests. */
export function useRankingKeys(options: RankingKeysOptions): void {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const { enabled, responses, criteria, onCommand } = latest.current;
      if (!enabled || e.defaultPrevented || e.isComposing || isTyping(e.target) || isNativeActivation(e)) return;
      const command = commandFor(e, responses, criteria);
      if (!command) return;
      // A held Enter must not submit the task that just appeared.
      if (command.type === 'submit' && e.repeat) return;
      e.preventDefault();
      onCommand(command);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
