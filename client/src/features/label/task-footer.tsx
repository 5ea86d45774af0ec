import type { RefObject } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { taskKeys } from '../../api/queries.ts';
import { commentCommand } from './key-map.ts';
import { keepFocus } from './keep-focus.ts';

/**
 * The task's finish: the comment, not rankable, skip and submit, and what stands in the way of a submit (an untouched
 * order, a refused submit, or a task that is gone for good).
 */
export function TaskFooter(p: {
  projectId: number;
  commentBox: RefObject<HTMLTextAreaElement | null>;
  comment: string;
  onComment: (comment: string) => void;
  notRankable: boolean;
  onToggleNotRankable: () => void;
  onSkip: () => void;
  /** `byKey`: from Enter rather than the button; `confirmed`: the order shown is the labeler's ranking. */
  onSubmit: (byKey: boolean, confirmed?: boolean) => void;
  onBackToList: () => void;
  busy: boolean;
  saving: boolean;
  submitLabel: string;
  error: Error | null;
  /** The error leaves this task behind: the way on is a fresh task. */
  isFinal: boolean;
  /** Set when a submit was asked for on an untouched order: which criterion (on a project with several), and whether `p` can copy the previous one's. */
  untouched: { criterionName: string | null; previousOrder: boolean } | null;
}) {
  const { projectId, commentBox, comment, onComment, notRankable, onToggleNotRankable, onSkip, onSubmit, onBackToList, busy, saving, submitLabel, error, isFinal, untouched } = p;
  const queryClient = useQueryClient();
  return (
  <section className="task-footer card" aria-label="Finish this task">
    <label className="comment">
      <span>
        Comment <span className="muted">(optional)</span>
        <span className="key-hint">
          <span className="muted"> · </span>
          <kbd>c</kbd>
        </span>
      </span>
      <textarea
        ref={commentBox}
        name="comment"
        rows={2}
        maxLength={5000}
        value={comment}
        placeholder="Anything a lead should know: refer to responses by letter (A, B, …)"
        onChange={(e) => onComment(e.target.value)}
        onKeyDown={(e) => {
          const command = commentCommand(e);
          if (!command) return;
          e.preventDefault();
          if (command === 'submit') onSubmit(true);
          else onBackToList();
        }}
      />
    </label>
    <div className="row task-actions">
      <button type="button" className={notRankable ? 'chip is-on' : 'chip'} aria-pressed={notRankable} onMouseDown={keepFocus} onClick={onToggleNotRankable}>
        Not rankable / all bad <kbd>n</kbd>
      </button>
      <button type="button" className="chip" onMouseDown={keepFocus} onClick={onSkip} disabled={busy}>
        Skip… <kbd>s</kbd>
      </button>
      <span className="spacer" />
      {error && !isFinal && (
        <span role="alert" className="error">
          {error.message}
        </span>
      )}
      <button type="button" className="primary submit" onMouseDown={keepFocus} onClick={() => onSubmit(false)} disabled={busy}>
        {saving ? 'Saving…' : submitLabel} <kbd>Enter</kbd>
      </button>
    </div>
    {untouched && (
      <p role="alert" className="notice untouched-note" data-testid="untouched-note">
        <span>
          Nothing is ranked yet{untouched.criterionName === null ? '' : ` by ${untouched.criterionName}`}: put the responses in order first
          (move, place or tie a card{untouched.previousOrder ? <>, or press <kbd>p</kbd> for the previous criterion's order</> : null}). If the order shown already is
          your ranking, press <kbd>Shift+Enter</kbd>.
        </span>
        <button type="button" onMouseDown={keepFocus} onClick={() => onSubmit(false, true)} disabled={busy}>
          The order shown is my ranking
        </button>
      </p>
    )}
    {isFinal && error && (
      <p role="alert" className="error row">
        {error.message}
        <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: taskKeys.next(projectId) })}>
          Get a fresh task
        </button>
      </p>
    )}
  </section>
  );
}
