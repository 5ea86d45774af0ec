import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'wouter';
import { projectOptions } from '../../api/queries.ts';
import { datasetCardUrl, exportSummaryOptions, exportUrl, manifestUrl } from '../../api/export-queries.ts';
import { aggregations, capitalise, curlCommand, exportFileName, exportQuery, formats, formFromParams, formProblems, queryString, strategies, type ExportForm } from './export-settings.ts';
import { counted } from '../../components/counted.ts';
import { describeSkipped } from '../../../../shared/export-skip-reasons.ts';
import type { SkippedCounts } from '../../../../shared/export-skips.ts';
import { ExportSettingsForm } from './export-settings-form.tsx';
import { useHasJudges } from '../../components/sources-select.tsx';

/** Choose what to export, see how many pairs it gives and what they look like, then download or copy a command. */
export function ExportPage() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  // Local state answers a click at once; the URL follows, so a reload or a shared link shows the same export.
  const [form, setForm] = useState(() => formFromParams(params));
  const query = exportQuery(form);
  const qs = queryString(query);
  const problems = formProblems(form);
  const problemList = Object.values(problems);
  const project = useQuery(projectOptions(id));
  const hasJudges = useHasJudges(id);
  // A setting the server would refuse is not sent: the last good counts stay on screen, dimmed, beside the form's message.
  const summary = useQuery({ ...exportSummaryOptions(id, query), enabled: problemList.length === 0 });
  const change = (next: ExportForm) => {
    setForm(next);
    // replace, not push: one history entry per keystroke would make Back useless
    setParams(queryString(exportQuery(next)), { replace: true });
  };
  const format = formats.find((f) => f.name === form.format) ?? formats[0];
  const strategy = strategies.find((x) => x.name === form.strategy) ?? strategies[0];
  const aggregation = aggregations.find((x) => x.name === form.aggregation) ?? aggregations[0];
  const pairFormat = form.format !== 'rankings';
  const unit = pairFormat ? 'pair' : 'prompt line';
  const s = summary.data;
  const stale = summary.isFetching || summary.isPlaceholderData;
  const invalid = problemList.length > 0 || summary.isError;

  return (
    <main className="page export-page">
      <div className="row">
        <h1>Export{project.data ? `: ${project.data.name}` : ''}</h1>
        <span className="spacer" />
        <Link to={`/projects/${id}`}>← Dashboard</Link>
      </div>
      <div className="export-grid">
        <ExportSettingsForm form={form} problems={problems} onChange={change} labelersPerPrompt={project.data?.labelersPerPrompt} criteria={project.data?.criteria} hasJudges={hasJudges} />
        <section className="card stack" aria-labelledby="export-counts-title" aria-busy={stale}>
          <h2 id="export-counts-title">What you get</h2>
          <p className="muted hint">
            <strong>{format.reader}</strong>: {format.about}.{' '}
            {pairFormat ? (
              <>
                Pairs <code>{strategy.name}</code>: {strategy.about}. Consensus order <code>{aggregation.name}</code>: {aggregation.about}.
              </>
            ) : (
              <>Each line’s consensus orders the responses by mean rank; every labeler’s own ranks come along.</>
            )}
          </p>
          {/* the form says the same under the field, as the alert; here it explains the dimmed counts */}
          {problemList.length > 0 && <p className="error">{problemList.join('. ')}.</p>}
          {problemList.length === 0 && summary.isError && (
            <p className="error" role="alert">
              {summary.error.message}
            </p>
          )}
          {summary.isPending && problemList.length === 0 && <p className="muted">Counting…</p>}
          {s && (
            <dl className={`progress-stats export-counts${stale ? ' is-stale' : ''}`}>
              <div>
                <dt>{form.split ? `${capitalise(form.split)} ${unit}s` : capitalise(`${unit}s`)}</dt>
                <dd data-stat="lines">{s.lines.toLocaleString()}</dd>
              </div>
              <div><dt>Prompts</dt><dd data-stat="prompts">{s.prompts.toLocaleString()}</dd></div>
              <div>
                <dt>Train</dt>
                <dd data-stat="train">{s.train.lines.toLocaleString()}</dd>
                <span className="hint muted">{counted(s.train.prompts, 'prompt')}</span>
              </div>
              <div>
                <dt>Test ({Math.round(s.testFraction * 1000) / 10}%)</dt>
                <dd data-stat="test">{s.test.lines.toLocaleString()}</dd>
                <span className="hint muted">{counted(s.test.prompts, 'prompt')}</span>
              </div>
            </dl>
          )}
          {s && <LeftOut skipped={s.skipped} split={form.split} />}
          <div className="row">
            <a className={`button primary${invalid ? ' is-disabled' : ''}`} href={exportUrl(id, qs)} download={exportFileName(id, form)} aria-disabled={invalid}>
              Download {exportFileName(id, form)}
            </a>
            <a className={`button${invalid ? ' is-disabled' : ''}`} href={manifestUrl(id, qs)} download aria-disabled={invalid}>
              Download manifest
            </a>
            <a className={`button${invalid ? ' is-disabled' : ''}`} href={datasetCardUrl(id, qs)} download="README.md" aria-disabled={invalid}>
              Download dataset card
            </a>
          </div>
          <p className="muted hint">The manifest records the Podium version, the project, these settings, the counts and the agreement figures: keep it beside the file.</p>
          <p className="muted hint">
            For a Hugging Face dataset folder, download the train and test files (Split: train, then test) as train.jsonl and test.jsonl and put the dataset card
            (README.md) beside them; <code>npm run podium -- export --dataset-dir DIR</code> writes all three at once.
          </p>
          <CurlCommand command={curlCommand(window.location.origin, id, form)} invalid={invalid} />
        </section>
      </div>
      <section className="card stack" aria-labelledby="export-preview-title">
        <div className="row">
          <h2 id="export-preview-title">First lines</h2>
          <span className="muted hint">each line of the file is one JSON object; shown here indented</span>
        </div>
        {s && s.preview.length === 0 && (
          <p className="muted" data-testid="nothing-to-export">
            {describeSkipped(s.skipped).length > 0 ? 'Nothing to export with these settings: every prompt was left out, for the reasons listed under What you get.' : 'Nothing to export yet: the project has no prompts.'}
          </p>
        )}
        {s && s.preview.length > 0 && (
          <ol className={`export-preview${stale ? ' is-stale' : ''}`} aria-label="Preview">
            {s.preview.map((line, i) => (
              <li key={i}>
                <span className="muted hint">line {i + 1}</span>
                <pre className="mono">{JSON.stringify(line, null, 2)}</pre>
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}

/** Every prompt or pair the file leaves out, by reason, so an empty or small export explains itself. */
function LeftOut({ skipped, split }: { skipped: SkippedCounts; split: ExportForm['split'] }) {
  const reasons = describeSkipped(skipped);
  if (reasons.length === 0) return <p className="muted hint" data-testid="left-out">Nothing left out{split ? ` on the ${split} side` : ''}.</p>;
  return (
    <div className="stack" data-testid="left-out">
      <strong>Left out{split ? ` of the ${split} side` : ''}</strong>
      <ul className="hint">
        {reasons.map((r) => (
          <li key={r.reason} data-reason={r.reason}>
            {r.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

function CurlCommand({ command, invalid }: { command: string; invalid: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(command);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div className="stack curl">
      <div className="row">
        <strong>From a script</strong>
        <span className="spacer" />
        <button type="button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
      {/* dimmed, not hidden, while the settings are wrong: it would fail as it stands */}
      <pre className={`mono curl-command${invalid ? ' is-stale' : ''}`} data-testid="curl">
        {command}
      </pre>
      <p className="muted hint">
        Set <code>PODIUM_TOKEN</code> to an API token: create one on your <Link to="/account">account page</Link>; it is shown once.
      </p>
    </div>
  );
}
