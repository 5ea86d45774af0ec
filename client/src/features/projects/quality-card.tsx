import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { projectKeys } from '../../api/queries.ts';
import { qualityOptions, setPaused, updateQualitySettings } from '../../api/quality-queries.ts';
import { fieldIssues } from '../../api/field-issues.ts';
import { FieldError } from './field-error.tsx';
import { toNumber } from './new-project-form.tsx';
import { counted } from '../../components/counted.ts';
import type { ProjectWithProgress } from '../../../../shared/projects.ts';
import type { QualitySettings, QualitySummary } from '../../../../shared/quality.ts';

const fields: { key: keyof QualitySettings; label: string; hint: string; step: string }[] = [
  { key: 'goldRate', label: 'Gold rate', hint: 'share of each labeler\'s tasks that are gold (0–0.5)', step: '0.01' },
  { key: 'goldMinTasks', label: 'Gold tasks before a pause', hint: 'gold answers needed before a score can pause', step: '1' },
  { key: 'goldMinTauB', label: 'Lowest gold tau-b', hint: 'a mean tau-b against gold below this pauses the labeler', step: '0.05' },
  { key: 'maxLabelersPerPrompt', label: 'Most labelers per prompt', hint: 'R turns adaptive overlap off', step: '1' },
  { key: 'minKendallW', label: "Lowest Kendall's W", hint: 'a prompt below this is offered to one more labeler', step: '0.05' },
];

const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(2));

/** The lead's quality loop: its settings (editable), who is paused and why, and the extra labels adaptive overlap spent. */
export function QualityCard({ project }: { project: ProjectWithProgress }) {
  const quality = useQuery({ ...qualityOptions(project.id), refetchInterval: 5_000 });
  return (
    <section className="card stack" aria-labelledby="quality-title" data-testid="quality">
      <h2 id="quality-title">Quality</h2>
      {quality.data && <PausedLabelers projectId={project.id} summary={quality.data} />}
      {quality.data && <ExtraLabels projectId={project.id} summary={quality.data} r={project.labelersPerPrompt} />}
      <QualitySettingsForm project={project} />
    </section>
  );
}

function PausedLabelers({ projectId, summary }: { projectId: number; summary: QualitySummary }) {
  const queryClient = useQueryClient();
  const lift = useMutation({
    mutationFn: (userId: number) => setPaused(projectId, userId, false),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
  if (summary.paused.length === 0) return <p className="muted" data-testid="no-paused">Nobody is paused.</p>;
  return (
    <div className="stack" role="region" aria-label="Paused labelers">
      <h3>Paused labelers</h3>
      <ul className="stack paused-list">
        {summary.paused.map((m) => (
          <li key={m.userId} data-paused={m.username} className="stack" style={{ gap: '0.25rem' }}>
            <div className="row">
              <strong>{m.username}</strong>
              <span className="pill warn" title="gold answers since the last lifted pause">
                {counted(m.gold.tasks, 'gold task')}, tau-b {fmt(m.gold.meanTauB)}, top match {fmt(m.gold.topMatch)}
              </span>
              <span className="spacer" />
              <button type="button" onClick={() => lift.mutate(m.userId)} disabled={lift.isPending}>
                Lift pause
              </button>
            </div>
            <span className="muted hint">{m.reason.replace(/^./, (c) => c.toUpperCase())}</span>
          </li>
        ))}
      </ul>
      {lift.error && <p role="alert" className="error">{lift.error.message}</p>}
      <p className="muted hint">After a lift only gold answers from then on count, so the old ones cannot pause them again.</p>
    </div>
  );
}

function ExtraLabels({ projectId, summary, r }: { projectId: number; summary: QualitySummary; r: number }) {
  return (
    <div className="stack" data-testid="extra-labels">
      <p>
        <strong>{summary.goldPrompts}</strong> gold prompt{summary.goldPrompts === 1 ? '' : 's'} ·{' '}
        <strong data-stat="extra-spent">{summary.extraLabelsSpent}</strong> extra label{summary.extraLabelsSpent === 1 ? '' : 's'} spent of{' '}
        <span data-stat="extra-granted">{summary.extraLabelsGranted}</span> granted where labelers disagreed
      </p>
      {summary.extraPrompts.length > 0 && (
        <table className="dense">
          <thead>
            <tr><th>Prompt</th><th className="num">Extra places</th><th className="num">Rankings</th></tr>
          </thead>
          <tbody>
            {summary.extraPrompts.map((p) => (
              <tr key={p.promptId} data-extra-prompt={p.externalId}>
                <td><Link to={`/projects/${projectId}/review?prompt=${p.promptId}`}>{p.externalId}</Link></td>
                <td className="num">+{p.extra}</td>
                <td className="num" title={`R is ${r}`}>{p.rankings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function QualitySettingsForm({ project }: { project: ProjectWithProgress }) {
  const initial = () => Object.fromEntries(fields.map((f) => [f.key, String(project[f.key])])) as Record<keyof QualitySettings, string>;
  const [values, setValues] = useState(initial);
  const [editing, setEditing] = useState(false);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => updateQualitySettings(project.id, Object.fromEntries(fields.map((f) => [f.key, toNumber(values[f.key])]))),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: projectKeys.detail(project.id) });
      setEditing(false);
    },
  });
  const errors = save.error ? fieldIssues(save.error) : {};
  if (!editing) {
    return (
      <div className="stack" style={{ gap: '0.4rem' }}>
        <div className="row settings" data-testid="quality-settings">
          {fields.map((f) => (
            <span key={f.key} className="pill" title={f.hint} data-setting={f.key}>
              {f.label}: {project[f.key]}
            </span>
          ))}
        </div>
        <div className="row">
          <button type="button" onClick={() => { setValues(initial()); save.reset(); setEditing(true); }}>Edit quality settings</button>
          {project.maxLabelersPerPrompt === project.labelersPerPrompt && <span className="muted hint">adaptive overlap is off</span>}
        </div>
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Quality settings" noValidate>
      <div className="form-grid">
        {fields.map((f) => (
          <label key={f.key}>
            {f.label}
            <input name={f.key} type="number" step={f.step} value={values[f.key]} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            <span className="muted hint">{f.hint}</span>
            <FieldError message={errors[f.key]} />
          </label>
        ))}
      </div>
      <FieldError message={errors['']} />
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>Save</button>
        <button type="button" onClick={() => setEditing(false)}>Cancel</button>
      </div>
    </form>
  );
}
