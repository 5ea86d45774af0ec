import type { Criterion } from '../../../../shared/criteria.ts';

const keepFocus = (e: { preventDefault: () => void }) => e.preventDefault();

/** The criteria of a task as steps: which one is being ranked, which are done, and what the one on screen asks for. */
export function CriterionTabs({ criteria, active, judged, onShow }: { criteria: readonly Criterion[]; active: number; judged: readonly boolean[]; onShow: (i: number) => void }) {
  const current = criteria[active];
  return (
    <div className="criterion-steps">
      <div className="criterion-tabs" role="tablist" aria-label="Criteria">
        {criteria.map((c, i) => (
          <button
            key={c.key}
            type="button"
            role="tab"
            className={i === active ? 'criterion-tab is-active' : 'criterion-tab'}
            aria-selected={i === active}
            data-criterion={c.key}
            data-done={judged[i] ? 'true' : 'false'}
            onMouseDown={keepFocus}
            onClick={() => onShow(i)}
          >
            <span className="criterion-step">{judged[i] ? '✓' : i + 1}</span> {c.name}
            <span className="visually-hidden">{judged[i] ? ' (ranked)' : ' (to rank)'}</span>
          </button>
        ))}
        <span className="criterion-keys key-hint muted">
          <kbd>[</kbd> <kbd>]</kbd>
        </span>
      </div>
      {current?.description && (
        <p className="criterion-description" data-testid="criterion-description">
          {current.description}
        </p>
      )}
    </div>
  );
}
