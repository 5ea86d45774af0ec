import type { Criterion } from '../../../../shared/criteria.ts';
import { Markdown } from '../../components/markdown.tsx';

export function GuidelinesPanel({ text, criteria, onClose }: { text: string | undefined; criteria: readonly Criterion[] | undefined; onClose: () => void }) {
  // The lone default "Overall" with nothing to say about it would only push the guidelines down.
  const showCriteria = criteria !== undefined && (criteria.length > 1 || criteria.some((c) => c.description.trim() !== ''));
  return (
    <aside className="guidelines card" aria-label="Guidelines">
      <header className="row">
        <h2>Guidelines</h2>
        <span className="spacer" />
        <button type="button" className="chip" onMouseDown={(e) => e.preventDefault()} onClick={onClose} title="Hide the guidelines (g)">
          Hide <kbd>g</kbd>
        </button>
      </header>
      {showCriteria && (
        <section className="guidelines-criteria" aria-label="Criteria">
          <h3>{criteria.length > 1 ? `Rank by ${criteria.length} criteria, one after the other` : 'Rank by'}</h3>
          <dl>
            {criteria.map((c) => (
              <div key={c.key} data-criterion={c.key}>
                <dt>{c.name}</dt>
                {c.description.trim() && <dd>{c.description}</dd>}
              </div>
            ))}
          </dl>
        </section>
      )}
      {text === undefined ? <p className="muted">Loading…</p> : text.trim() ? <Markdown text={text} /> : <p className="muted">This project has no written guidelines yet.</p>}
    </aside>
  );
}
