import { aggregations, capitalise, formats, strategies, type ExportForm, type FormProblems } from './export-settings.ts';
import { FieldError } from '../projects/field-error.tsx';
import { CriterionSelect } from '../../components/criterion-select.tsx';
import { SourcesSelect } from '../../components/sources-select.tsx';
import { chosenSources, includesSource } from '../../components/source-choice.ts';
import type { Criterion } from '../../../../shared/criteria.ts';

/** The export's settings; every change goes straight to the URL and the counts follow. */
export function ExportSettingsForm({
  form,
  problems,
  onChange,
  labelersPerPrompt,
  criteria,
  hasJudges,
}: {
  form: ExportForm;
  problems: FormProblems;
  onChange: (next: ExportForm) => void;
  labelersPerPrompt: number | undefined;
  criteria: readonly Criterion[] | undefined;
  hasJudges: boolean | undefined;
}) {
  const set = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) => onChange({ ...form, [key]: value });
  const pairFormat = form.format !== 'rankings';
  // The server's default: R with labelers among the sources, 1 with judges alone (one judge is one ranking).
  const minLabelersDefault = includesSource(form.sources, 'human') ? (labelersPerPrompt === undefined ? '' : `${labelersPerPrompt} (R)`) : '1';
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
      <SourcesSelect hasJudges={hasJudges} value={form.sources} onChange={(v) => set('sources', chosenSources(v, hasJudges))} />
      <CriterionSelect
        criteria={criteria}
        value={form.criterion || undefined}
        onChange={(c) => set('criterion', c === criteria?.[0]?.key ? '' : c)}
        allowCombined
      />
      <ExplainedSelect
        label="Pairs per prompt"
        name="strategy"
        options={strategies}
        value={form.strategy}
        onChange={(v) => set('strategy', v)}
        inUse={pairFormat}
        unused="Not used: a rankings line holds every response, not pairs."
      />
      <ExplainedSelect
        label="Consensus order"
        name="aggregation"
        options={aggregations}
        value={form.aggregation}
        onChange={(v) => set('aggregation', v)}
        inUse={pairFormat}
        unused="Not used: a rankings line orders its consensus by mean rank."
      />
      <div className="form-grid">
        <label>
          Min labelers
          <input
            name="minLabelers"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            placeholder={minLabelersDefault}
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
        Prompts are split by a hash of their conversation (whitespace aside), so all pairs of a prompt, and the same conversation imported under another id, land on one side, and the sides stay put as data is added. Ties in the consensus are never
        pairs.
      </p>
    </form>
  );
}

type Choice<N extends string> = { readonly name: N; readonly short: string; readonly about: string };

/** A select of named choices, each short in the list, the chosen one explained in full below it. */
function ExplainedSelect<N extends string>(p: { label: string; name: string; options: readonly Choice<N>[]; value: N; onChange: (value: N) => void; inUse: boolean; unused: string }) {
  const chosen = p.options.find((o) => o.name === p.value) ?? p.options[0];
  const aboutId = `${p.name}-about`;
  return (
    <label>
      {p.label}
      <select name={p.name} value={p.value} onChange={(e) => p.onChange(e.target.value as N)} disabled={!p.inUse} aria-describedby={aboutId}>
        {p.options.map((o) => (
          <option key={o.name} value={o.name}>
            {o.name} — {o.short}
          </option>
        ))}
      </select>
      <span id={aboutId} className="muted hint">
        {p.inUse && chosen ? `${capitalise(chosen.about)}.` : p.unused}
      </span>
    </label>
  );
}
