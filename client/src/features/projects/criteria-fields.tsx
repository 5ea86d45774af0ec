import { criterionKeyFromName, type CriterionDraft } from './criterion-drafts.ts';
import { FieldError } from './field-error.tsx';

const maxCriteria = 5;

/**
 * The criteria a lead defines for a new project: 1 to 5, each a key (derived from the name until edited), a name,
 * a description labelers see, and a weight for the combined order. The server's messages show under each field.
 */
export function CriteriaFields({ value, onChange, issues }: { value: CriterionDraft[]; onChange: (next: CriterionDraft[]) => void; issues: Record<string, string> }) {
  const update = (i: number, change: Partial<CriterionDraft>) => onChange(value.map((c, j) => (j === i ? { ...c, ...change } : c)));
  return (
    <fieldset className="criteria-fields stack">
      <legend>
        Criteria
      </legend>
      <p className="muted hint">
        Labelers rank the responses once per criterion, in this order. The key names a criterion in exports and the API; the weight counts in the
        combined order. Criteria are fixed once a ranking exists.
      </p>
      {value.map((c, i) => (
        <div key={c.id} className="criterion-fields" data-criterion-index={i}>
          <div className="criterion-fields-grid">
            <label>
              Name
              <input
                name={`criteria.${i}.name`}
                value={c.name}
                onChange={(e) => update(i, { name: e.target.value, ...(c.keyEdited ? {} : { key: criterionKeyFromName(e.target.value) }) })}
              />
              <FieldError message={issues[`${i}.name`]} />
            </label>
            <label>
              Key
              <input name={`criteria.${i}.key`} value={c.key} onChange={(e) => update(i, { key: e.target.value, keyEdited: true })} spellCheck={false} />
              <FieldError message={issues[`${i}.key`]} />
            </label>
            <label>
              Weight
              <input name={`criteria.${i}.weight`} type="number" min={0} step="any" value={c.weight} onChange={(e) => update(i, { weight: e.target.value })} />
              <FieldError message={issues[`${i}.weight`]} />
            </label>
          </div>
          <label>
            Description <span className="muted hint">(shown to labelers while they rank by it)</span>
            <textarea name={`criteria.${i}.description`} rows={2} value={c.description} onChange={(e) => update(i, { description: e.target.value })} />
            <FieldError message={issues[`${i}.description`]} />
          </label>
          <FieldError message={issues[String(i)]} />
          {value.length > 1 && (
            <button type="button" className="link-button criterion-remove" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove {c.name.trim() || `criterion ${i + 1}`}
            </button>
          )}
        </div>
      ))}
      <FieldError message={issues['']} />
      {value.length < maxCriteria && (
        <div>
          <button type="button" onClick={() => onChange([...value, { id: Math.max(0, ...value.map((c) => c.id)) + 1, key: '', name: '', description: '', weight: '1', keyEdited: false }])}>
            + Add a criterion
          </button>
        </div>
      )}
    </fieldset>
  );
}
