import { memo, useEffect, useRef, useState, type MouseEvent, type RefObject } from 'react';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { Flag } from '../../../../shared/tasks.ts';
import { Markdown } from '../../components/markdown.tsx';
import { flagLabels, flagOrder } from './submission.ts';

const flagKeys: Record<Flag, string> = { harmful: 'h', 'factually-wrong': 'w', 'off-instruction': 'o' };

// Clicking a toggle must not take focus: the next Enter would press the toggle again instead of submitting.
const keepFocus = (e: MouseEvent) => e.preventDefault();

export type ResponseCardProps = {
  id: number;
  /** A, B, C…: the response's letter in the order it was shown, stable while it moves (for comments). */
  letter: string;
  text: string;
  rank: string;
  position: number;
  tiedWithAbove: boolean;
  allowTies: boolean;
  flags: readonly Flag[];
  isCursor: boolean;
  /** Shown whole: the labeler asked to see all of a long text. */
  expanded: boolean;
  disabled: boolean;
  setElement: (id: number, el: HTMLElement | null) => void;
  onFocusCard: (id: number) => void;
  onToggleFlag: (id: number, flag: Flag) => void;
  onToggleTie: (id: number) => void;
  onToggleExpand: (id: number) => void;
};

/**
 * Whether the text is taller than its folded box. Observed rather than measured once: the box narrows on a phone and
 * code grows when its highlighting arrives. The observer reports after layout, so a new task never waits on a read.
 */
function useClipped(box: RefObject<HTMLDivElement | null>, expanded: boolean): boolean {
  const [clipped, setClipped] = useState(false);
  useEffect(() => {
    const el = box.current;
    const content = el?.firstElementChild;
    // Shown whole, it stays "long" so the labeler can fold it again.
    if (!el || !content || expanded) return;
    const observer = new ResizeObserver(() => setClipped(content.getBoundingClientRect().height > el.clientHeight + 1));
    observer.observe(el);
    observer.observe(content);
    return () => observer.disconnect();
  }, [box, expanded]);
  return clipped;
}

export const ResponseCard = memo(function ResponseCard(p: ResponseCardProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: p.id, disabled: p.disabled });
  const textBox = useRef<HTMLDivElement>(null);
  const long = useClipped(textBox, p.expanded);
  const classes = ['response-card', p.isCursor && 'is-cursor', isDragging && 'is-dragging', p.tiedWithAbove && 'is-tied', p.flags.length > 0 && 'is-flagged'];
  return (
    <li
      ref={(el) => {
        setNodeRef(el);
        p.setElement(p.id, el);
      }}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={classes.filter(Boolean).join(' ')}
      data-response-id={p.id}
      data-rank={p.rank}
      data-tied={p.tiedWithAbove ? 'true' : 'false'}
      tabIndex={p.isCursor ? 0 : -1}
      aria-label={`Response ${p.letter}, rank ${p.rank}${p.tiedWithAbove ? ', tied with the one above' : ''}`}
      onFocus={(e) => {
        if (e.target === e.currentTarget) p.onFocusCard(p.id);
      }}
      onMouseDown={() => p.onFocusCard(p.id)}
    >
      {p.tiedWithAbove && (
        <span className="tie-link" aria-hidden="true">
          = tie
        </span>
      )}
      <div className="card-rail" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Drag response ${p.letter}`} title="Drag to rank (or Space, then arrows)">
        <span className="card-rank">{p.rank}</span>
        <span className="card-grip" aria-hidden="true">
          ⋮⋮
        </span>
      </div>
      <div className="card-main">
        <header className="card-head" {...listeners} title="Drag to rank">
          <span className="card-letter">Response {p.letter}</span>
          {p.allowTies && p.position > 0 && (
            <button type="button" className={p.tiedWithAbove ? 'chip is-on' : 'chip'} aria-pressed={p.tiedWithAbove} onMouseDown={keepFocus} onClick={() => p.onToggleTie(p.id)} title="Tie with the response above (t)">
              = tie above
            </button>
          )}
          <span className="spacer" />
          {flagOrder.map((f) => {
            const on = p.flags.includes(f);
            return (
              <button key={f} type="button" className={on ? 'chip flag-toggle is-on' : 'chip flag-toggle'} aria-pressed={on} data-flag={f} onMouseDown={keepFocus} onClick={() => p.onToggleFlag(p.id, f)} title={`${flagLabels[f]} (${flagKeys[f]})`}>
                <kbd>{flagKeys[f]}</kbd> {flagLabels[f]}
              </button>
            );
          })}
        </header>
        <div ref={textBox} className={long && !p.expanded ? 'card-text is-clipped' : p.expanded ? 'card-text is-expanded' : 'card-text'}>
          <Markdown text={p.text} className="card-body" />
        </div>
        {long && (
          <button type="button" className="chip card-more" aria-expanded={p.expanded} onMouseDown={keepFocus} onClick={() => p.onToggleExpand(p.id)} title="Show all of this response, or fold it (e)">
            {p.expanded ? 'Show less' : 'Show all'} <kbd>e</kbd>
          </button>
        )}
      </div>
    </li>
  );
});
