import { aggregations, capitalise, formats, strategies, type ExportForm, type FormProblems } from './export-settings.ts';
import { FieldError } from '../projects/field-error.tsx';

/** The export's settings; every change goes straight to the URL and the counts follow. */
export function ExportSettingsForm({
  form,
  problems,
  onChange,
  labelersPerPrompt,
}: {
  form: ExportForm;
  problems: FormProblems;
  onChange: (next: ExportForm) => void;
  labelersPerPrompt: number | undefined;
}) {
  const set = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) => onChange({ ...form, [key]: value });
  const pairFormat = form.format !== 'rankings';
  const strategy = strategies.find((x) => x.name === form.strategy) ?? strategies[0];
  const aggregation = aggregations.find((x) => x.name === form.aggregation) ?? aggregations[0];
  return (
    <form className="card stack export-settings" aria-labelledby="export-settings-title" onSubmit={(e) => e.preventDefault()}>
      <h2 id="export-settings-title">Settings</h2>
      <fieldset className="stack">
        <legend>Format</legend>
        {formats.map((f) => (
          <label key={f.name} className="inline choice">
            <input type="radio" name="format" value={f.name} checked={form.format === f.name} onChange={() => set('format', f.name)} />
            <span>
              <code>{f.name}</code> <span className="muted">— {f.reader}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label>
        Pairs per prompt
        <select name="strategy" value={form.strategy} onChange={(e) => set('strategy', e.target.value as ExportForm['strategy'])} disabled={!pairFormat} aria-describedby="strategy-about">
          {strategies.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name} — {s.short}
            </option>
          ))}
        </select>
        <span id="strategy-about" className="muted hint">
          {pairFormat ? `${capitalise(strategy.about)}.` : 'Not used: a rankings line holds every response, not pairs.'}
        </span>
      </label>
      <label>
        Consensus order
        <select name="aggregation" value={form.aggregation} onChange={(e) => set('aggregation', e.target.value as ExportForm['aggregation'])} disabled={!pairFormat} aria-describedby="aggregation-about">
          {aggregations.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name} — {a.short}
            </option>
          ))}
        </select>
        <span id="aggregation-about" className="muted hint">
          {pairFormat ? `${capitalise(aggregation.about)}.` : 'Not used: a rankings line orders its consensus by mean rank.'}
        </span>
      </label>
      <div className="form-grid">
        <label>
          Min labelers
          <input
            name="minLabelers"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            placeholder={labelersPerPrompt === undefined ? '' : `${labelersPerPrompt} (R)`}
            value={form.minLabelers}
            onChange={(e) => set('minLabelers', e.target.value)}
            aria-invalid={problems.minLabelers !== undefined}
          />
          <FieldError message={problems.minLabelers} />
        </label>
        <label>
          Min margin
          <input name="minMargin" type="number" min={0} step={0.1} placeholder="> 0" value={form.minMargin} onChange={(e) => set('minMargin', e.target.value)} disabled={!pairFormat} aria-invalid={problems.minMargin !== undefined} />
          <FieldError message={problems.minMargin} />
        </label>
        <label>
          Min agreement
          <input
            name="minAgreement"
            type="number"
            min={0}
            max={1}
            step={0.05}
            placeholder="0"
            value={form.minAgreement}
            onChange={(e) => set('minAgreement', e.target.value)}
            disabled={!pairFormat}
            aria-invalid={problems.minAgreement !== undefined}
          />
          <FieldError message={problems.minAgreement} />
        </label>
      </div>
      <div className="form-grid">
        <label>
          Split
          <select name="split" value={form.split} onChange={(e) => set('split', e.target.value as ExportForm['split'])}>
            <option value="">everything</option>
            <option value="train">train side only</option>
            <option value="test">test side only</option>
          </select>
        </label>
        <label>
          Test fraction
          <input name="testFraction" type="number" min={0} max={1} step={0.05} value={form.testFraction} onChange={(e) => set('testFraction', e.target.value)} aria-invalid={problems.testFraction !== undefined} />
          <FieldError message={problems.testFraction} />
        </label>
      </div>
      <label className="inline">
        <input name="metadata" type="checkbox" checked={form.metadata} onChange={(e) => set('metadata', e.target.checked)} disabled={!pairFormat} />
        Add the <code>podium</code> provenance object to each pair
      </label>
      <p className="muted hint">
        Prompts are split by a hash of their id, so all pairs of a prompt land on one side and the sides stay put as data is added. Ties in the consensus are never
        pairs.
      </p>
    </form>
  );
}
