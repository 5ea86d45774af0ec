import { useMemo, type PointerEvent } from 'react';
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type Modifier,
  type PointerSensorOptions,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { Flag } from '../../../../shared/tasks.ts';
import { rankLabels, type RankingState } from './ranking-state.ts';
import type { FlagMap } from './submission.ts';
import { ResponseCard } from './response-card.tsx';
import { dropIndex } from './drop-position.ts';

// Ranking is one-dimensional: a card follows the pointer up and down only.
const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });
const noFlags: readonly Flag[] = [];

/**
 * The card header drags as well as the rail, but a press on one of its buttons is a click, and on a touch screen the
 * header scrolls the page like the text below it: there only the rail drags.
 */
class CardPointerSensor extends PointerSensor {
  static override activators = [
    {
      eventName: 'onPointerDown' as const,
      handler: (event: PointerEvent, options: PointerSensorOptions): boolean => {
        const target = event.nativeEvent.target;
        if (!(target instanceof Element) || target.closest('button, a, input, textarea, select')) return false;
        if (event.nativeEvent.pointerType === 'touch' && !target.closest('.card-rail')) return false;
        return PointerSensor.activators.every((a) => a.handler(event, options));
      },
    },
  ];
}

/**
 * The card under the hand: the list as laid out (offsetTop ignores the sortable transforms, and is read now, so a
 * scroll during the drag is taken into account) against the pointer. A keyboard drag has no pointer and keeps the
 * centre rule.
 */
const followPointer: CollisionDetection = (args) => {
  const { active, droppableContainers, pointerCoordinates } = args;
  if (!pointerCoordinates) return closestCenter(args);
  const cards = droppableContainers.flatMap((container) => {
    const el = container.node.current;
    return el?.parentElement ? [{ container, el, list: el.parentElement }] : [];
  });
  cards.sort((a, b) => a.el.offsetTop - b.el.offsetTop);
  const from = cards.findIndex((c) => c.container.id === active.id);
  const list = cards[0]?.list;
  if (from < 0 || !list) return closestCenter(args);
  const listTop = list.getBoundingClientRect().top;
  // offsetTop counts from the nearest positioned ancestor: the list itself, or the one the list counts from too.
  const topInList = (el: HTMLElement) => (el.offsetParent === list ? el.offsetTop : el.offsetTop - list.offsetTop);
  const to = dropIndex(
    pointerCoordinates.y,
    cards.map((c) => ({ top: listTop + topInList(c.el), height: c.el.offsetHeight })),
    from,
  );
  const target = cards[to];
  return target ? [{ id: target.container.id, data: { droppableContainer: target.container, value: 0 } }] : [];
};

export type RankingListProps = {
  state: RankingState;
  texts: ReadonlyMap<number, { letter: string; text: string }>;
  flags: FlagMap;
  expanded: ReadonlySet<number>;
  cursor: number | null;
  disabled: boolean;
  setElement: (id: number, el: HTMLElement | null) => void;
  onFocusCard: (id: number) => void;
  onToggleFlag: (id: number, flag: Flag) => void;
  onToggleTie: (id: number) => void;
  onMove: (id: number, to: number) => void;
  onToggleExpand: (id: number) => void;
  onDragging: (dragging: boolean) => void;
};

export function RankingList(p: RankingListProps) {
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a click on the rail or the header still just selects the card.
    useSensor(CardPointerSensor, { activationConstraint: { distance: 4 } }),
    // Space picks up and drops; Enter is left to submit the ranking.
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space'] } }),
  );
  const labels = rankLabels(p.state);
  const items = useMemo(() => [...p.state.order], [p.state.order]);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    p.onDragging(false);
    if (!over || active.id === over.id) return;
    p.onMove(Number(active.id), p.state.order.indexOf(Number(over.id)));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={followPointer}
      modifiers={[verticalOnly]}
      onDragStart={() => p.onDragging(true)}
      onDragEnd={onDragEnd}
      onDragCancel={() => p.onDragging(false)}
    >
      <SortableContext items={items} strategy={verticalListSortingStrategy}>
        <ol className="ranking-list" data-ranking-list aria-label="Responses, best first">
          {p.state.order.map((id, i) => {
            const r = p.texts.get(id);
            return (
              <ResponseCard
                key={id}
                id={id}
                letter={r?.letter ?? '?'}
                text={r?.text ?? ''}
                rank={labels[i] ?? ''}
                position={i}
                tiedWithAbove={p.state.tied[i] ?? false}
                allowTies={p.state.allowTies}
                flags={p.flags[id] ?? noFlags}
                isCursor={p.cursor === id}
                expanded={p.expanded.has(id)}
                disabled={p.disabled}
                setElement={p.setElement}
                onFocusCard={p.onFocusCard}
                onToggleFlag={p.onToggleFlag}
                onToggleTie={p.onToggleTie}
                onToggleExpand={p.onToggleExpand}
              />
            );
          })}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
