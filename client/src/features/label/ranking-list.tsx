import { useMemo } from 'react';
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent, type Modifier } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { Flag } from '../../../../shared/tasks.ts';
import { rankLabels, type RankingState } from './ranking-state.ts';
import type { FlagMap } from './submission.ts';
import { ResponseCard } from './response-card.tsx';

// Ranking is one-dimensional: a card follows the pointer up and down only.
const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });
const noFlags: readonly Flag[] = [];

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
    // A few pixels of travel before a drag starts, so a click on the rail still just selects the card.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
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
      collisionDetection={closestCenter}
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
