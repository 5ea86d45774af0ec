import { useMemo, useState } from 'react';
import type { AgreementData } from '../../api/review-queries.ts';
import { fixed, percent, seconds } from './format.ts';
import { labelerWarnings, type LabelerWarning } from './labeler-warnings.ts';
import { ExcludeControl } from './exclude-control.tsx';
import { counted } from '../../components/counted.ts';

type Labeler = AgreementData['labelers'][number];
type Column = { key: string; title: string; hint: string; value: (l: Labeler) => number | string | null };

const columns: Column[] = [
  { key: 'username', title: 'Labeler', hint: '', value: (l) => l.username },
  { key: 'rankings', title: 'Rankings', hint: 'rankings that count', value: (l) => l.rankings },
  { key: 'tauB', title: 'τ-b vs consensus', hint: "mean Kendall τ-b between this labeler's ranking and the other labelers' mean ranks, over their prompts", value: (l) => l.tauB },
  { key: 'medianMs', title: 'Median time', hint: 'median time per ranking', value: (l) => l.medianMs },
  { key: 'skipRate', title: 'Skip rate', hint: 'skipped tasks / (skipped + ranked)', value: (l) => l.skipRate },
  { key: 'flagRate', title: 'Flag rate', hint: 'rankings with at least one flag', value: (l) => l.flagRate },
  { key: 'positionBias', title: 'Position bias', hint: 'how often the response shown first was ranked first; chance is 1/K', value: (l) => l.positionBias },
  { key: 'gold', title: 'Gold τ-b', hint: "mean Kendall τ-b between this labeler's rankings of gold prompts and their known order (since their last lifted pause)", value: (l) => l.gold.meanTauB },
  { key: 'goldTop', title: 'Gold top', hint: "how often this labeler's top choice is the gold top (a tie on top earns its share)", value: (l) => l.gold.topMatch },
];

type Sort = { key: string; descending: boolean };

function compare(a: number | string | null, b: number | string | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return typeof a === 'string' || typeof b === 'string' ? String(a).localeCompare(String(b)) : a - b;
}

/** Per-labeler quality, sortable by any column, with marks where a labeler looks unreliable and a way to exclude them. */
export function LabelerTable({ projectId, labelers }: { projectId: number; labelers: Labeler[] }) {
  const warnings = useMemo(() => labelerWarnings(labelers), [labelers]);
  // Worst agreement first: the row a lead is most likely to act on.
  const [sort, setSort] = useState<Sort>({ key: 'tauB', descending: false });
  const column = columns.find((c) => c.key === sort.key) ?? columns[0]!;
  const rows = [...labelers].sort((a, b) => {
    const order = compare(column.value(a), column.value(b));
    return (sort.descending && column.value(a) !== null && column.value(b) !== null ? -order : order) || a.username.localeCompare(b.username);
  });
  const toggle = (key: string) => setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: key === 'rankings' }));
  return (
    <div className="table-scroll">
      <table className="labeler-table dense">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.key === 'username' ? undefined : 'num'} title={c.hint} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="sort-button" onClick={() => toggle(c.key)}>
                  {c.title}
                  <span className="sort-arrow" aria-hidden="true">{sort.key === c.key ? (sort.descending ? '▼' : '▲') : ''}</span>
                </button>
              </th>
            ))}
            <th>Checks</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => {
            const marks = warnings.get(String(l.labeler)) ?? [];
            const has = (kind: LabelerWarning['kind']) => marks.some((m) => m.kind === kind);
            return (
              <tr key={String(l.labeler)} data-labeler={l.username} className={marks.length ? 'has-warning' : undefined}>
                <td><strong>{l.username}</strong></td>
                <td className="num">{l.rankings}</td>
                <td className={has('agreement') ? 'num flagged-cell' : 'num'} title={`over ${counted(l.tauBPrompts, 'prompt')}`}>
                  {fixed(l.tauB)}
                </td>
                <td className={has('speed') ? 'num flagged-cell' : 'num'}>{seconds(l.medianMs)}</td>
                <td className="num">{percent(l.skipRate)}</td>
                <td className="num">{percent(l.flagRate)}</td>
                <td className={has('position') ? 'num flagged-cell' : 'num'} title={positionBiasNote(l)}>
                  {percent(l.positionBias)}
                  {l.expectedPositionBias !== null && <span className="muted hint"> / {percent(l.expectedPositionBias)}</span>}
                </td>
                <td className="num" data-gold-tasks={l.gold.tasks} title={`over ${counted(l.gold.tasks, 'gold task')}`}>
                  {fixed(l.gold.meanTauB)}
                  <span className="muted hint"> ({l.gold.tasks})</span>
                </td>
                <td className="num">{percent(l.gold.topMatch)}</td>
                <td className="checks">
                  {marks.length === 0 ? (
                    <span className="ok" aria-label="no warnings">✓</span>
                  ) : (
                    marks.map((m) => (
                      <span key={m.kind} className="warning-mark" title={m.text}>
                        ⚠ {m.text}
                      </span>
                    ))
                  )}
                </td>
                <td className="exclude-cell">
                  <ExcludeControl projectId={projectId} userId={Number(l.labeler)} username={l.username} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "44% / 25%" spelled out, for the cell's tooltip. */
function positionBiasNote(l: Labeler): string | undefined {
  if (l.positionBias === null || l.expectedPositionBias === null) return undefined;
  const luck = l.positionBiasP === null ? '' : `; the chance of at least this by luck is ${l.positionBiasP.toPrecision(2)}`;
  return `the response shown first was ranked first in ${percent(l.positionBias)} of ${l.username}'s rankings; chance is ${percent(l.expectedPositionBias)}${luck}`;
}
