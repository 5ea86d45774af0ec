import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { AgreementData } from '../../api/review-queries.ts';
import { agreementKeys } from '../../api/review-queries.ts';
import { createJudge, jobOptions, judgeFailuresOptions, judgeKeys, judgesOptions, startJudgeRun } from '../../api/judge-queries.ts';
import { watchGenerationJob } from '../../api/sampling-queries.ts';
import { isFinished } from '../../../../shared/job-progress.ts';
import type { GenerationJob } from '../../../../shared/sampling.ts';
import type { Judge, JudgeAgreement } from '../../../../shared/judges.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { fixed, percent } from './format.ts';

/** AI judges beside the labelers: add one, run it over every rankable prompt, and see how far it agrees with the humans. */
export function JudgesSection({ projectId, report }: { projectId: number; report: AgreementData }) {
  const judges = useQuery(judgesOptions(projectId));
  const figures = new Map(report.judges.map((j) => [j.judgeId, j]));
  // Below the table, not in it: the answers are long text that a phone must not have to scroll sideways to read.
  const [failuresOf, setFailuresOf] = useState<number | null>(null);
  const failing = judges.data?.find((j) => j.id === failuresOf);
  return (
    <section className="card stack judges-section" aria-labelledby="judges-title">
      <h2 id="judges-title">AI judges</h2>
      <p className="muted hint">
        A judge is a model that ranks each prompt's responses like a labeler, in two display orders. Its rankings never count as labels: they are measured
        against the labelers' consensus here, and enter results, exports and the leaderboard only with <code>sources=judge</code>.
      </p>
      {judges.isError && <p className="error">{judges.error.message}</p>}
      {judges.data && judges.data.length > 0 && (
        <div className="table-scroll">
          <table className="judge-table dense">
            <thead>
              <tr>
                <th>Judge</th>
                <th className="num" title="mean Kendall τ-b between the judge's ranking and the labelers' mean ranks">τ-b vs humans</th>
                <th className="num" title="share of response pairs the judge orders as each labeler did (a tie counts half)">Agreement</th>
                <th className="num" title="agreement between the judge's two display orders of a prompt: 100% means the order shown does not sway it">Position consistency</th>
                <th className="num" title="prompts the judge and at least one labeler ranked">Prompts</th>
                <th>Disagrees most on</th>
                <th>Run</th>
              </tr>
            </thead>
            <tbody>
              {judges.data.map((j) => (
                <JudgeRow key={j.id} projectId={projectId} criterion={report.criterion} judge={j} figures={figures.get(j.id)} failuresShown={failuresOf === j.id} onToggleFailures={() => setFailuresOf((v) => (v === j.id ? null : j.id))} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {failing && (
        <div className="stack judge-failures-box" aria-label={`Unreadable answers of ${failing.name}`}>
          <h3>Answers of {failing.name} that could not be read</h3>
          <JudgeFailures projectId={projectId} judgeId={failing.id} />
        </div>
      )}
      {judges.data?.length === 0 && <p className="muted">No judge yet.</p>}
      <AddJudgeForm projectId={projectId} />
    </section>
  );
}

type JudgeRowProps = { projectId: number; criterion: string; judge: Judge; figures: JudgeAgreement | undefined; failuresShown: boolean; onToggleFailures: () => void };

function JudgeRow({ projectId, criterion, judge, figures, failuresShown, onToggleFailures }: JudgeRowProps) {
  return (
    <tr data-judge={judge.name}>
      <td>
        <strong>{judge.name}</strong>
        <span className="muted hint"> {judge.model}</span>
      </td>
      <td className="num">{fixed(figures?.tauBVsHumans)}</td>
      <td className="num">{percent(figures?.pairwiseAgreementVsHumans)}</td>
      <td className={figures?.positionConsistency != null && figures.positionConsistency < 0.7 ? 'num flagged-cell' : 'num'}>{judge.bothOrders ? percent(figures?.positionConsistency) : 'one order'}</td>
      <td className="num">{figures?.prompts ?? 0}</td>
      <td className="disagreements">
        {/* The disagreements are of the criterion the report shows: the review opens under it. */}
        {(figures?.disagreements ?? []).slice(0, 5).map((d) => (
          <Link key={d.promptId} to={`/projects/${projectId}/review?prompt=${d.promptId}&criterion=${encodeURIComponent(criterion)}`} title={`τ-b ${fixed(d.tauB)}`}>
            {d.externalId}
          </Link>
        ))}
      </td>
      <td className="judge-run">
        <JudgeRun projectId={projectId} judge={judge} />
        {judge.failures > 0 && (
          <button type="button" className="link-button" aria-expanded={failuresShown} onClick={onToggleFailures}>
            {judge.failures} unreadable
          </button>
        )}
      </td>
    </tr>
  );
}

/** Start a run, and follow it (or the judge's latest one) over SSE until it ends. */
function JudgeRun({ projectId, judge }: { projectId: number; judge: Judge }) {
  const queryClient = useQueryClient();
  const latest = useQuery({ ...jobOptions(judge.latestJobId ?? 0), enabled: judge.latestJobId !== null });
  const [job, setJob] = useState<GenerationJob | null>(null);
  const shown = job ?? latest.data ?? null;
  const active = shown !== null && !isFinished(shown.status);
  const jobId = shown?.id ?? null;
  useEffect(() => {
    if (jobId === null || !active) return;
    return watchGenerationJob(jobId, setJob, () => {
      // its rankings changed the figures and its failures the count
      void queryClient.invalidateQueries({ queryKey: agreementKeys.all(projectId) });
      void queryClient.invalidateQueries({ queryKey: judgeKeys.all(projectId) });
    });
  }, [jobId, active, projectId, queryClient]);
  const start = useMutation({ mutationFn: () => startJudgeRun(projectId, judge.id), onSuccess: (res) => setJob(res.job) });
  return (
    <div className="stack judge-run-box" aria-live="polite">
      <button type="button" disabled={active || start.isPending} onClick={() => start.mutate()}>
        {active ? 'Judging…' : 'Run judge'}
      </button>
      {start.isError && <span className="error">{start.error.message}</span>}
      {shown && shown.total > 0 && <ProgressBar done={shown.done + shown.failed} total={shown.total} label="judgements" />}
      {shown && (
        <span className="muted" data-job-status={shown.status}>
          {shown.status}
          {shown.failed > 0 && ` · ${shown.failed} failed`}
          {shown.total === 0 && isFinished(shown.status) && ' · nothing left to judge'}
        </span>
      )}
    </div>
  );
}

function JudgeFailures({ projectId, judgeId }: { projectId: number; judgeId: number }) {
  const failures = useQuery(judgeFailuresOptions(projectId, judgeId));
  if (failures.isPending) return <p className="muted">Loading…</p>;
  if (failures.isError) return <p className="error">{failures.error.message}</p>;
  return (
    <ul className="judge-failures">
      {failures.data.map((f) => (
        <li key={f.id} className="stack">
          <span>
            <Link to={`/projects/${projectId}/review?prompt=${f.promptId}`}>{f.externalId}</Link>
            <span className="muted"> · {f.displayIndex === 0 ? 'as stored' : 'reversed'} · {f.error}</span>
          </span>
          {f.answer !== null && <pre className="judge-answer">{f.answer}</pre>}
        </li>
      ))}
    </ul>
  );
}

function AddJudgeForm({ projectId }: { projectId: number }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [temperature, setTemperature] = useState('0');
  const [bothOrders, setBothOrders] = useState(true);
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const add = useMutation({
    mutationFn: () =>
      createJudge(projectId, {
        name,
        model,
        bothOrders,
        ...(temperature.trim() ? { temperature: Number(temperature) } : {}),
        ...(baseUrl.trim() ? { endpoint: { baseUrl: baseUrl.trim(), ...(apiKey ? { apiKey } : {}) } } : {}),
      }),
    onSuccess: () => {
      setName('');
      setModel('');
      setApiKey('');
      void queryClient.invalidateQueries({ queryKey: judgeKeys.all(projectId) });
      void queryClient.invalidateQueries({ queryKey: agreementKeys.all(projectId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form className="stack add-judge" onSubmit={submit} aria-label="Add a judge">
      <h3>Add a judge</h3>
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Model
          <input value={model} onChange={(e) => setModel(e.target.value)} required placeholder="as the server knows it" />
        </label>
        <label>
          Temperature
          <input type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(e.target.value)} />
        </label>
        <label>
          Base URL
          <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="the sampling endpoint" />
        </label>
        <label>
          API key
          <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" placeholder="only for this URL" />
        </label>
      </div>
      <label className="inline">
        <input type="checkbox" checked={bothOrders} onChange={(e) => setBothOrders(e.target.checked)} />
        Judge each prompt in two display orders (measures position bias; twice the requests)
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={add.isPending}>
          Add judge
        </button>
        {add.isError && <span className="error">{add.error.message}</span>}
      </div>
    </form>
  );
}
