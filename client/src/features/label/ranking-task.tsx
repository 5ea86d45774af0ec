import { useCallback, useMemo, useReducer, useRef, useState } from 'react';
import type { AssignmentView, Flag } from '../../../../shared/tasks.ts';
import { ApiRequestError } from '../../api/client.ts';
import { ChatTranscript } from '../../components/chat-transcript.tsx';
import { toTiers, type RankingAction } from './ranking-state.ts';
import { afterCriterion, criterionRankingsReducer, initialCriterionRankings, isJudged, toCriterionRankings, type CriterionRankingsState } from './criterion-rankings.ts';
import { toggleFlag, toSubmitBody, type FlagMap } from './submission.ts';
import type { KeyCommand } from './key-map.ts';
import { useRankingKeys } from './use-ranking-keys.ts';
import { useTaskTimer } from './use-task-timer.ts';
import { RankingList } from './ranking-list.tsx';
import { SkipPanel } from './skip-panel.tsx';
import { KeyLegend } from './key-legend.tsx';
import { CriterionTabs } from './criterion-tabs.tsx';
import { dropDraft, loadDraft, saveDraft } from './task-draft.ts';
import { useTaskMutations } from './use-task-mutations.ts';
import { useKeptDraft } from './use-kept-draft.ts';
import { TaskFooter } from './task-footer.tsx';
import { useCardFocus } from './use-card-focus.ts';

// Two quick Shift+Enters must not confirm the next task unseen: it has to be on screen this long before that key submits it.
const minimumLookMs = 400;

/** Errors after which this task is gone for good: the way on is a fresh task. */
const finalCodes = new Set(['assignment_expired', 'already_submitted', 'assignment_skipped', 'not_found', 'excluded']);

export function RankingTask({ projectId, assignment, onToggleGuidelines }: { projectId: number; assignment: AssignmentView; onToggleGuidelines: () => void }) {
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
  const { focusWanted, setElement, focusNow } = useCardFocus(assignment, ranking.order[0], cursor);
  const commentBox = useRef<HTMLTextAreaElement>(null);

  const texts = useMemo(() => new Map(assignment.responses.map((r, i) => [r.id, { letter: String.fromCharCode(65 + i), text: r.text }])), [assignment]);

  const { submit, skip } = useTaskMutations(projectId, assignment.id);
  const busy = submit.isPending || skip.isPending;

  const unmarked = Object.keys(flags).length === 0 && !notRankable && comment === '';
  // As the server handed it out: the shown order on every criterion, no tie, flag or comment. Undoing back to this
  // leaves nothing to keep.
  const blank =
    unmarked &&
    work.works.every((w) => !w.acted && !w.confirmed && !w.ranking.tied.some(Boolean) && w.ranking.order.every((id, i) => id === assignment.responses[i]?.id));
  const finished = submit.isSuccess || skip.isSuccess;
  useKeptDraft(() => {
    if (finished) return;
    if (blank) dropDraft(assignment.id);
    else saveDraft(assignment.id, work, criterionKeys, { flags, notRankable, comment, elapsedMs: elapsed() });
  }, [work, flags, notRankable, comment, finished]);
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
    focusNow(cursor);
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

      <TaskFooter
        projectId={projectId}
        commentBox={commentBox}
        comment={comment}
        onComment={setComment}
        notRankable={notRankable}
        onToggleNotRankable={() => setNotRankable((v) => !v)}
        onSkip={() => setSkipOpen(true)}
        onSubmit={doSubmit}
        onBackToList={backToList}
        busy={busy}
        saving={submit.isPending}
        submitLabel={notRankable ? 'Submit as not rankable' : othersLeft ? 'Next criterion' : 'Submit ranking'}
        error={error}
        isFinal={isFinal}
        untouched={explain && !acted && !notRankable ? { criterionName: multi ? (assignment.criteria[work.active]?.name ?? 'this criterion') : null, previousOrder: work.active > 0 } : null}
      />

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
