import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type MouseEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AssignmentView, Flag, LabelerCounter, SubmitInput } from '../../../../shared/tasks.ts';
import { ApiRequestError } from '../../api/client.ts';
import { fetchNextTask, projectKeys, skipAssignment, submitAndFetchNext, taskKeys } from '../../api/queries.ts';
import { ChatTranscript } from '../../components/chat-transcript.tsx';
import { toTiers, type RankingAction } from './ranking-state.ts';
import { afterCriterion, criterionRankingsReducer, initialCriterionRankings, isJudged, toCriterionRankings, type CriterionRankingsState } from './criterion-rankings.ts';
import { toggleFlag, toSubmitBody, type FlagMap } from './submission.ts';
import { commentCommand, type KeyCommand } from './key-map.ts';
import { useRankingKeys } from './use-ranking-keys.ts';
import { useTaskTimer } from './use-task-timer.ts';
import { RankingList } from './ranking-list.tsx';
import { SkipPanel } from './skip-panel.tsx';
import { KeyLegend } from './key-legend.tsx';
import { CriterionTabs } from './criterion-tabs.tsx';
import { dropDraft, loadDraft, saveDraft } from './task-draft.ts';

// Two quick Shift+Enters must not confirm the next task unseen: it has to be on screen this long before that key submits it.
const minimumLookMs = 400;

const keepFocus = (e: MouseEvent) => e.preventDefault();

/** Errors after which this task is gone for good: the way on is a fresh task. */
const finalCodes = new Set(['assignment_expired', 'already_submitted', 'assignment_skipped', 'not_found', 'excluded']);

export function RankingTask({ projectId, assignment, onToggleGuidelines }: { projectId: number; assignment: AssignmentView; onToggleGuidelines: () => void }) {
  const queryClient = useQueryClient();
  // What the labeler left unsubmitted on this task before a reload, if anything: read once, on the task's first render.
  const criterionKeys = useMemo(() => assignment.criteria.map((c) => c.key), [assignment]);
  const [draft] = useState(() => loadDraft(assignment.id, assignment.responses.map((r) => r.id), assignment.allowTies, criterionKeys));
  // One order per criterion; whether each was acted on (moved, placed, tied, taken over) or confirmed: a shuffled
  // order alone is no ranking, on any criterion.
  const [work, dispatchWork] = useReducer(criterionRankingsReducer, assignment, (a): CriterionRankingsState => {
    const fresh = initialCriterionRankings(
      a.responses.map((r) => r.id),
      a.allowTies,
      a.criteria.length,
    );
    if (!draft) return fresh;
    return {
      active: Math.min(draft.active, fresh.works.length - 1),
      works: draft.rankings.map((d) => ({ ranking: { order: d.order, tied: d.tied, allowTies: a.allowTies }, acted: d.acted, confirmed: d.confirmed })),
    };
  });
  const activeWork = work.works[work.active] ?? work.works[0];
  if (!activeWork) throw new Error('a task has at least one criterion');
  const ranking = activeWork.ranking;
  const acted = activeWork.acted;
  const multi = assignment.criteria.length > 1;
  const initialState = useRef(ranking);
  // A submit was asked for on an untouched order: the page says what it needs instead of storing it.
  const [explain, setExplain] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [flags, setFlags] = useState<FlagMap>(draft?.flags ?? {});
  const [notRankable, setNotRankable] = useState(draft?.notRankable ?? false);
  const [comment, setComment] = useState(draft?.comment ?? '');
  const [skipOpen, setSkipOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [cursor, setCursor] = useState<number | null>(ranking.order[0] ?? null);
  const timer = useTaskTimer();
  const elapsed = useCallback(() => (draft?.elapsedMs ?? 0) + timer(), [draft, timer]);
  const shownAt = useRef(performance.now());
  const elements = useRef(new Map<number, HTMLElement>());
  const focusWanted = useRef(false);
  const commentBox = useRef<HTMLTextAreaElement>(null);

  const texts = useMemo(() => new Map(assignment.responses.map((r, i) => [r.id, { letter: String.fromCharCode(65 + i), text: r.text }])), [assignment]);

  const showNext = (next: AssignmentView | null, countsAsDone: boolean) => {
    // The counter moves at once; the server's figure follows on the counter's own slow refresh.
    queryClient.setQueryData<LabelerCounter>(projectKeys.counter(projectId), (c) =>
      c && (countsAsDone ? { doneToday: c.doneToday + 1, done: c.done + 1, left: Math.max(0, c.left - 1) } : { ...c, left: Math.max(0, c.left - 1) }),
    );
    // Scrolled to the top while the old task is still laid out: cheap now, a forced layout of the new one later.
    window.scrollTo({ top: 0 });
    // No next task may mean nothing is left, or that this labeler was just paused: ask tasks/next, which says which.
    if (next === null) void queryClient.resetQueries({ queryKey: taskKeys.next(projectId) });
    else queryClient.setQueryData(taskKeys.next(projectId), next);
  };
  const submit = useMutation({
    mutationFn: (body: SubmitInput) => submitAndFetchNext(assignment.id, body),
    onSuccess: (next) => {
      dropDraft(assignment.id);
      showNext(next, true);
    },
  });
  const skip = useMutation({
    mutationFn: async (reason: string) => {
      await skipAssignment(assignment.id, reason);
      // The task is gone once the skip is stored, whether or not the next one arrives.
      dropDraft(assignment.id);
      return fetchNextTask(projectId);
    },
    onSuccess: (next) => showNext(next, false),
  });
  const busy = submit.isPending || skip.isPending;

  const unmarked = Object.keys(flags).length === 0 && !notRankable && comment === '';
  // As the server handed it out: the shown order on every criterion, no tie, flag or comment. Undoing back to this
  // leaves nothing to keep.
  const blank =
    unmarked &&
    work.works.every((w) => !w.acted && !w.confirmed && !w.ranking.tied.some(Boolean) && w.ranking.order.every((id, i) => id === assignment.responses[i]?.id));
  const finished = submit.isSuccess || skip.isSuccess;
  const keepDraft = useRef(() => {});
  keepDraft.current = () => {
    if (finished) return;
    if (blank) dropDraft(assignment.id);
    else saveDraft(assignment.id, work, criterionKeys, { flags, notRankable, comment, elapsedMs: elapsed() });
  };
  // Every change is kept until it is submitted or skipped, and so is the time on task when the page goes away.
  useEffect(() => keepDraft.current(), [work, flags, notRankable, comment, finished]);
  useEffect(() => {
    const onPageHide = () => keepDraft.current();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') keepDraft.current();
    };
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
  const showCriterion = (to: number) => {
    dispatchWork({ type: 'switch', to });
    setExplain(false);
    // A criterion opens as a task does: its top card chosen, looked at before Shift+Enter confirms it.
    setCursor(work.works[to]?.ranking.order[0] ?? null);
    focusWanted.current = true;
    shownAt.current = performance.now();
  };
  /**
   * Enter: this criterion is ranked; on to the next one not ranked yet, or submit once all are. `confirmed`: the
   * labeler said the order shown is their ranking for this criterion (Shift+Enter or the button that says so).
   */
  const doSubmit = (byKey: boolean, confirmed = false) => {
    if (busy) return;
    if (byKey && confirmed && !acted && performance.now() - shownAt.current < minimumLookMs) return;
    const state = confirmed && !notRankable ? criterionRankingsReducer(work, { type: 'confirm' }) : work;
    if (state !== work) dispatchWork({ type: 'confirm' });
    const next = afterCriterion(state, notRankable);
    if (next.type === 'untouched') {
      setExplain(true);
      return;
    }
    if (next.type === 'go') {
      showCriterion(next.to);
      return;
    }
    const body = { tiers: toTiers(ranking), notRankable, flags, comment, durationMs: elapsed() };
    submit.mutate(toSubmitBody(multi ? { ...body, rankings: toCriterionRankings(state, criterionKeys) } : body));
  };
  const dispatch = (action: RankingAction) => dispatchWork({ type: 'rank', action });
  const onActed = () => setExplain(false);

  // A new task has its top card chosen and focused (a restored draft's top card, too), after its first paint so
  // focusing does not delay it.
  useEffect(() => {
    const first = elements.current.get(initialState.current.order[0] ?? -1);
    const frame = requestAnimationFrame(() =>
      setTimeout(() => {
        if (!document.activeElement || document.activeElement === document.body) first?.focus({ preventScroll: true });
      }),
    );
    return () => cancelAnimationFrame(frame);
  }, [assignment]);
  // Keys that choose or move a response bring it into view and give it focus.
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
  const onToggleFlag = useCallback((id: number, flag: Flag) => setFlags((f) => toggleFlag(f, id, flag)), []);
  const onToggleTie = useCallback((id: number) => {
    dispatchWork({ type: 'rank', action: { type: 'toggle-tie', id } });
    setExplain(false);
  }, []);
  const onMove = useCallback((id: number, to: number) => {
    dispatchWork({ type: 'rank', action: { type: 'move', id, to } });
    setCursor(id);
    setExplain(false);
  }, []);
  const onToggleExpand = useCallback((id: number) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);

  const onCommand = (c: KeyCommand) => {
    const current = cursor ?? ranking.order[0];
    if (current === undefined) return;
    switch (c.type) {
      case 'focus': {
        const i = ranking.order.indexOf(current) + c.by;
        const next = ranking.order[Math.max(0, Math.min(ranking.order.length - 1, i))];
        if (next !== undefined) setCursor(next);
        focusWanted.current = true;
        return;
      }
      case 'shift':
        dispatch({ type: 'shift', id: current, by: c.by });
        focusWanted.current = true;
        onActed();
        return;
      case 'place':
        // Placing a card where it already is still says "this one belongs here": it counts as acting on the order.
        dispatch({ type: 'move', id: current, to: c.position - 1 });
        focusWanted.current = true;
        onActed();
        return;
      case 'tie':
        if (!assignment.allowTies) return;
        dispatch({ type: 'toggle-tie', id: current });
        onActed();
        return;
      case 'expand':
        onToggleExpand(current);
        focusWanted.current = true;
        return;
      case 'flag':
        onToggleFlag(current, c.flag);
        return;
      case 'not-rankable':
        setNotRankable((v) => !v);
        return;
      case 'skip':
        setSkipOpen(true);
        return;
      case 'comment':
        commentBox.current?.focus();
        return;
      case 'guidelines':
        onToggleGuidelines();
        return;
      case 'submit':
        doSubmit(true);
        return;
      case 'confirm-order':
        doSubmit(true, true);
        return;
      case 'criterion': {
        const to = work.active + c.by;
        // Past the first or the last criterion the key does nothing: the chosen card stays chosen.
        if (to >= 0 && to < work.works.length) showCriterion(to);
        return;
      }
      case 'same-as-previous':
        if (work.active === 0) return;
        dispatchWork({ type: 'same-as-previous' });
        onActed();
        return;
    }
  };
  useRankingKeys({ responses: ranking.order.length, criteria: work.works.length, enabled: !busy && !dragging && !skipOpen, onCommand });

  const backToList = () => {
    focusWanted.current = true;
    setCursor((c) => c ?? ranking.order[0] ?? null);
    const el = cursor === null ? undefined : elements.current.get(cursor);
    el?.focus({ preventScroll: true });
  };

  // Enter goes on to another criterion rather than submitting while one is still to rank.
  const othersLeft = work.works.some((w, i) => i !== work.active && !isJudged(w));
  const error = submit.error ?? skip.error;
  const isFinal = error instanceof ApiRequestError && finalCodes.has(error.code);

  return (
    <div className="task" data-assignment-id={assignment.id}>
      <section className="prompt-panel" aria-labelledby="prompt-heading">
        <h2 id="prompt-heading" className="section-label">
          Prompt <span className="muted">· {assignment.prompt.externalId}</span>
        </h2>
        <ChatTranscript messages={assignment.prompt.messages} />
      </section>

      <section className={notRankable ? 'ranking-panel is-not-rankable' : 'ranking-panel'} aria-labelledby="ranking-heading">
        <h2 id="ranking-heading" className="section-label">
          Responses, best first
          {multi && <span className="criterion-now"> by {assignment.criteria[work.active]?.name}</span>}
          {assignment.allowTies ? <span className="muted"> · ties allowed</span> : <span className="muted"> · no ties in this project</span>}
        </h2>
        {multi && (
          <CriterionTabs
            criteria={assignment.criteria}
            active={work.active}
            judged={work.works.map(isJudged)}
            onShow={showCriterion}
          />
        )}
        {draft && (
          <p className="draft-note muted" role="status">
            Restored what you had done on this task before the page was reloaded.
          </p>
        )}
        {notRankable && (
          <p className="not-rankable-note" role="status">
            Marked <strong>not rankable</strong>: no order will be stored. Press <kbd>n</kbd> to rank after all.
          </p>
        )}
        <RankingList
          state={ranking}
          texts={texts}
          flags={flags}
          expanded={expanded}
          cursor={cursor}
          disabled={busy}
          setElement={setElement}
          onFocusCard={setCursor}
          onToggleFlag={onToggleFlag}
          onToggleTie={onToggleTie}
          onMove={onMove}
          onToggleExpand={onToggleExpand}
          onDragging={setDragging}
        />
      </section>

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
            onChange={(e) => setComment(e.target.value)}
            onKeyDown={(e) => {
              const command = commentCommand(e);
              if (!command) return;
              e.preventDefault();
              if (command === 'submit') doSubmit(true);
              else backToList();
            }}
          />
        </label>
        <div className="row task-actions">
          <button type="button" className={notRankable ? 'chip is-on' : 'chip'} aria-pressed={notRankable} onMouseDown={keepFocus} onClick={() => setNotRankable((v) => !v)}>
            Not rankable / all bad <kbd>n</kbd>
          </button>
          <button type="button" className="chip" onMouseDown={keepFocus} onClick={() => setSkipOpen(true)} disabled={busy}>
            Skip… <kbd>s</kbd>
          </button>
          <span className="spacer" />
          {error && !isFinal && (
            <span role="alert" className="error">
              {error.message}
            </span>
          )}
          <button type="button" className="primary submit" onMouseDown={keepFocus} onClick={() => doSubmit(false)} disabled={busy}>
            {submit.isPending ? 'Saving…' : notRankable ? 'Submit as not rankable' : othersLeft ? 'Next criterion' : 'Submit ranking'} <kbd>Enter</kbd>
          </button>
        </div>
        {explain && !acted && !notRankable && (
          <p role="alert" className="notice untouched-note" data-testid="untouched-note">
            <span>
              Nothing is ranked yet{multi ? ` by ${assignment.criteria[work.active]?.name ?? 'this criterion'}` : ''}: put the responses in order first
              (move, place or tie a card{work.active > 0 ? <>, or press <kbd>p</kbd> for the previous criterion's order</> : null}). If the order shown already is
              your ranking, press <kbd>Shift+Enter</kbd>.
            </span>
            <button type="button" onMouseDown={keepFocus} onClick={() => doSubmit(false, true)} disabled={busy}>
              The order shown is my ranking
            </button>
          </p>
        )}
        {isFinal && (
          <p role="alert" className="error row">
            {error.message}
            <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: taskKeys.next(projectId) })}>
              Get a fresh task
            </button>
          </p>
        )}
      </section>

      {skipOpen && (
        <SkipPanel
          pending={skip.isPending}
          error={skip.error && !isFinal ? skip.error.message : null}
          onSkip={(reason) => skip.mutate(reason)}
          onCancel={() => {
            setSkipOpen(false);
            backToList();
          }}
        />
      )}

      <KeyLegend responses={ranking.order.length} allowTies={assignment.allowTies} criteria={work.works.length} />
    </div>
  );
}
