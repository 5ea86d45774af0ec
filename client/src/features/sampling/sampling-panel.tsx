import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { meOptions, projectKeys, projectOptions } from '../../api/queries.ts';
import {
  cancelGenerationJob,
  latestJobOptions,
  samplingKeys,
  samplingSettingsOptions,
  saveSamplingSettings,
  startGenerationJob,
  testSamplingConnection,
  watchGenerationJob,
} from '../../api/sampling-queries.ts';
import { fieldIssues } from '../../api/field-issues.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';
import type { GenerationJob, SamplingPolicy, SamplingSettingsView } from '../../../../shared/sampling.ts';
import { apiKeyEnvPrefix } from '../../../../shared/api-key-env.ts';
import { isFinished, progressRate } from '../../../../shared/job-progress.ts';

/** A policy row as typed: numbers stay strings until saved, so a half-typed "0." is not lost. */
type PolicyDraft = { name: string; model: string; count: string; temperature: string; top_p: string; max_tokens: string; seed: string };
type Draft = { baseUrl: string; apiKey: string; removeKey: boolean; apiKeyEnv: string; systemPrompt: string; timeoutSeconds: string; maxRetries: string; policies: PolicyDraft[] };

const text = (n: number | undefined) => (n === undefined ? '' : String(n));
const policyDraft = (p?: SamplingPolicy, count = 1): PolicyDraft => ({
  name: p?.name ?? '',
  model: p?.model ?? '',
  count: String(p?.count ?? count),
  temperature: text(p?.temperature ?? (p ? undefined : 1)),
  top_p: text(p?.top_p),
  max_tokens: text(p?.max_tokens),
  seed: text(p?.seed),
});
const draftFrom = (s: SamplingSettingsView | null, k: number): Draft => ({
  baseUrl: s?.endpoint.baseUrl ?? 'http://127.0.0.1:8000/v1',
  apiKey: '',
  removeKey: false,
  apiKeyEnv: s?.endpoint.apiKeyEnv ?? '',
  systemPrompt: s?.systemPrompt ?? '',
  timeoutSeconds: String((s?.requestTimeoutMs ?? 120_000) / 1000),
  maxRetries: String(s?.maxRetries ?? 4),
  policies: s ? s.policies.map((p) => policyDraft(p)) : [policyDraft(undefined, k)],
});

/** Blank means "let the server decide"; anything else goes as a number, and the server says if it is wrong. */
const optionalNumber = (v: string) => (v.trim() === '' ? undefined : Number(v));

function toPolicy(d: PolicyDraft): SamplingPolicy {
  const p: SamplingPolicy = { model: d.model.trim(), count: Number(d.count) };
  if (d.name.trim()) p.name = d.name.trim();
  const t = optionalNumber(d.temperature);
  const top = optionalNumber(d.top_p);
  const max = optionalNumber(d.max_tokens);
  const seed = optionalNumber(d.seed);
  if (t !== undefined) p.temperature = t;
  if (top !== undefined) p.top_p = top;
  if (max !== undefined) p.max_tokens = max;
  if (seed !== undefined) p.seed = seed;
  return p;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/**
 * The lead's sampling controls on the project dashboard: where to sample from and how, a connection test,
 * and the job with live progress (server-sent events), rate, time left, recent errors and cancel.
 */
export function SamplingPanel({ projectId }: { projectId: number }) {
  const project = useQuery(projectOptions(projectId));
  const settings = useQuery(samplingSettingsOptions(projectId));
  const latest = useQuery(latestJobOptions(projectId));
  const k = project.data?.responsesPerPrompt ?? 0;
  if (project.data && project.data.myRole !== 'lead') return null;
  return (
    <section className="card stack" aria-labelledby="sampling-title">
      <h2 id="sampling-title">Sample responses</h2>
      <p className="muted hint">
        The server asks your SFT model(s) for the missing responses of every prompt, {k || 'K'} per prompt, over the OpenAI chat completions protocol (vLLM,
        SGLang, TGI, llama.cpp, Ollama, OpenAI). Labelers never see which model wrote what.
      </p>
      {settings.isPending || project.isPending ? (
        <p className="muted">Loading…</p>
      ) : settings.isError ? (
        <p className="error">{settings.error.message}</p>
      ) : (
        <SettingsForm projectId={projectId} k={k} saved={settings.data} />
      )}
      {settings.data && <JobControls projectId={projectId} job={latest.data ?? null} />}
    </section>
  );
}

function SettingsForm({ projectId, k, saved }: { projectId: number; k: number; saved: SamplingSettingsView | null }) {
  const queryClient = useQueryClient();
  const me = useQuery(meOptions());
  // the server refuses a lead who names the key variable; a lead's form leaves it out and the server keeps it
  const mayNameKeyEnv = me.data?.role === 'admin';
  const [draft, setDraft] = useState<Draft>(() => draftFrom(saved, k));
  const [open, setOpen] = useState(saved === null);
  const [droppedNote, setDroppedNote] = useState('');
  const urlChanged = saved !== null && draft.baseUrl.trim() !== saved.endpoint.baseUrl;
  const save = useMutation({
    mutationFn: () =>
      saveSamplingSettings(projectId, {
        endpoint: {
          baseUrl: draft.baseUrl.trim(),
          // blank keeps the stored key; the server never sends it back, so the field starts blank
          ...(draft.removeKey ? { apiKey: null } : draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}),
          ...(mayNameKeyEnv ? { apiKeyEnv: draft.apiKeyEnv.trim() || null } : {}),
        },
        systemPrompt: draft.systemPrompt,
        policies: draft.policies.map(toPolicy),
        requestTimeoutMs: Math.round(Number(draft.timeoutSeconds) * 1000),
        maxRetries: Number(draft.maxRetries),
      }),
    onSuccess: (res) => {
      queryClient.setQueryData(samplingKeys.settings(projectId), res.settings);
      setDraft(draftFrom(res.settings, k));
      setDroppedNote(
        res.dropped.apiKey || res.dropped.apiKeyEnv
          ? `The base URL changed, so the ${res.dropped.apiKey ? 'stored API key' : `key from $${saved?.endpoint.apiKeyEnv ?? ''}`} was dropped: a key only goes to the URL it was entered for.`
          : '',
      );
      setOpen(false);
      test.reset();
    },
  });
  const test = useMutation({ mutationFn: () => testSamplingConnection(projectId) });
  const issues = fieldIssues(save.error, { admin_only: 'apiKeyEnv' });
  const sum = draft.policies.reduce((a, p) => a + (Number(p.count) || 0), 0);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const setPolicy = (i: number, change: Partial<PolicyDraft>) => setDraft((d) => ({ ...d, policies: d.policies.map((p, j) => (j === i ? { ...p, ...change } : p)) }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  if (saved && !open) {
    return (
      <div className="stack">
        <p>
          From <code>{saved.endpoint.baseUrl}</code>{' '}
          <span className="muted">
            ({saved.endpoint.hasApiKey ? 'API key stored' : saved.endpoint.apiKeyEnv ? `key from $${saved.endpoint.apiKeyEnv}${saved.endpoint.apiKeyEnvSet ? '' : ' — not set on the server!'}` : 'no API key'})
          </span>
          : {saved.policies.map((p) => `${p.count}× ${p.name ?? p.model}${p.temperature !== undefined ? ` at T=${p.temperature}` : ''}${p.seed !== undefined ? `, seed ${p.seed}+i` : ''}`).join(' · ')}
        </p>
        <div className="row">
          <button type="button" onClick={() => setOpen(true)}>
            Edit settings
          </button>
          <ConnectionTest test={test} />
        </div>
        {droppedNote && <p className="muted hint">{droppedNote}</p>}
        <TestResult test={test} />
      </div>
    );
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Sampling settings">
      <div className="sampling-fields">
        <label className="wide">
          Endpoint base URL
          <input name="baseUrl" value={draft.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} placeholder="http://127.0.0.1:8000/v1" required />
          <span className="muted hint">…/v1 of an OpenAI-compatible server; /chat/completions is added.</span>
          {issues.endpoint && <span className="field-error">{issues.endpoint}</span>}
        </label>
        <div className="stack" style={{ gap: '0.25rem' }}>
          <label>
            API key
            <input
              name="apiKey"
              type="password"
              autoComplete="off"
              value={draft.apiKey}
              disabled={draft.removeKey}
              onChange={(e) => set({ apiKey: e.target.value })}
              placeholder={saved?.endpoint.hasApiKey ? 'stored; blank keeps it' : 'none'}
            />
          </label>
          {saved?.endpoint.hasApiKey && (
            <label className="inline">
              <input type="checkbox" checked={draft.removeKey} onChange={(e) => set({ removeKey: e.target.checked })} /> remove the stored key
            </label>
          )}
        </div>
        <label>
          …or an env variable on the server
          <input
            name="apiKeyEnv"
            value={draft.apiKeyEnv}
            disabled={!mayNameKeyEnv}
            onChange={(e) => set({ apiKeyEnv: e.target.value })}
            placeholder={mayNameKeyEnv ? `${apiKeyEnvPrefix}…` : 'set by an admin'}
          />
          <span className="muted hint">{mayNameKeyEnv ? `Only variables named ${apiKeyEnvPrefix}… can be read.` : 'Only an admin chooses it.'}</span>
          {issues.apiKeyEnv && <span className="field-error">{issues.apiKeyEnv}</span>}
        </label>
        {urlChanged && (saved.endpoint.hasApiKey || saved.endpoint.apiKeyEnv) && (
          <p className="muted hint wide" role="note">
            A new URL drops the stored key{saved.endpoint.apiKeyEnv ? ` and $${saved.endpoint.apiKeyEnv}` : ''}: enter the key again for the new URL.
          </p>
        )}
        <label>
          Request timeout (s)
          <input name="timeout" type="number" min={0.1} step="any" value={draft.timeoutSeconds} onChange={(e) => set({ timeoutSeconds: e.target.value })} />
          {issues.requestTimeoutMs && <span className="field-error">{issues.requestTimeoutMs}</span>}
        </label>
        <label>
          Retries per request
          <input name="maxRetries" type="number" min={0} max={10} value={draft.maxRetries} onChange={(e) => set({ maxRetries: e.target.value })} />
        </label>
      </div>
      <label>
        {/* one grid row for the name and its note: the label is a grid, so loose text and a span would stack */}
        <span>
          System prompt <span className="muted">(optional; sent first unless a prompt has its own)</span>
        </span>
        <textarea name="systemPrompt" rows={2} value={draft.systemPrompt} onChange={(e) => set({ systemPrompt: e.target.value })} />
      </label>
      <div className="stack">
        <p className="section-label">
          Policies <span className="muted">— counts must add up to K = {k}; now {sum}</span>
        </p>
        <div className="table-scroll">
          <table className="policy-table">
            <thead>
              <tr>
                <th>Model</th>
                <th>Count</th>
                <th>Temperature</th>
                <th>top_p</th>
                <th>max_tokens</th>
                <th>Seed</th>
                <th>Label</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.policies.map((p, i) => (
                <tr key={i}>
                  <td className="policy-model">
                    <input aria-label={`model of policy ${i + 1}`} value={p.model} onChange={(e) => setPolicy(i, { model: e.target.value })} placeholder="served model name" required />
                  </td>
                  <td className="policy-count">
                    <input aria-label={`count of policy ${i + 1}`} type="number" min={1} max={9} value={p.count} onChange={(e) => setPolicy(i, { count: e.target.value })} />
                  </td>
                  <td className="policy-temperature">
                    <input aria-label={`temperature of policy ${i + 1}`} type="number" min={0} max={2} step="any" value={p.temperature} onChange={(e) => setPolicy(i, { temperature: e.target.value })} placeholder="server default" />
                  </td>
                  <td className="policy-top-p">
                    <input aria-label={`top_p of policy ${i + 1}`} type="number" min={0} max={1} step="any" value={p.top_p} onChange={(e) => setPolicy(i, { top_p: e.target.value })} />
                  </td>
                  <td className="policy-max-tokens">
                    <input aria-label={`max_tokens of policy ${i + 1}`} type="number" min={1} value={p.max_tokens} onChange={(e) => setPolicy(i, { max_tokens: e.target.value })} />
                  </td>
                  <td className="policy-seed">
                    <input aria-label={`seed of policy ${i + 1}`} type="number" min={0} value={p.seed} onChange={(e) => setPolicy(i, { seed: e.target.value })} placeholder="none" />
                  </td>
                  <td className="policy-label">
                    <input aria-label={`label of policy ${i + 1}`} value={p.name} onChange={(e) => setPolicy(i, { name: e.target.value })} placeholder="optional" />
                  </td>
                  <td>
                    <button type="button" className="link-button" disabled={draft.policies.length === 1} onClick={() => setDraft((d) => ({ ...d, policies: d.policies.filter((_, j) => j !== i) }))}>
                      remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {issues.policies && <span className="field-error">{issues.policies}</span>}
        <div>
          <button type="button" disabled={draft.policies.length >= 9} onClick={() => setDraft((d) => ({ ...d, policies: [...d.policies, policyDraft(undefined, Math.max(1, k - sum))] }))}>
            Add a policy
          </button>
        </div>
        <p className="muted hint">A seed makes sample i use seed + i, one request per sample; without one, the server is asked for n samples at once where it can.</p>
      </div>
      {issues[''] && <p className="error">{issues['']}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save settings'}
        </button>
        {saved && (
          <button
            type="button"
            onClick={() => {
              setDraft(draftFrom(saved, k));
              save.reset();
              setOpen(false);
            }}
          >
            Close
          </button>
        )}
        {saved && <ConnectionTest test={test} />}
      </div>
      <TestResult test={test} />
    </form>
  );
}

type TestMutation = UseMutationResult<Awaited<ReturnType<typeof testSamplingConnection>>, Error, void>;

function ConnectionTest({ test }: { test: TestMutation }) {
  return (
    <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
      {test.isPending ? 'Testing…' : 'Test connection'}
    </button>
  );
}

function TestResult({ test }: { test: TestMutation }) {
  if (test.isError) return <p className="error">{test.error.message}</p>;
  const r = test.data?.result;
  if (!r) return null;
  return r.ok ? (
    <div className="notice ok-notice" role="status">
      <strong>{r.model}</strong> answered in {r.latencyMs} ms: “{r.text.trim().slice(0, 200)}”{r.finishReason ? ` (${r.finishReason})` : ''}
    </div>
  ) : (
    <div className="notice bad-notice" role="alert">
      {r.status ? `${r.status}: ` : ''}
      {r.message}
    </div>
  );
}

function JobControls({ projectId, job }: { projectId: number; job: GenerationJob | null }) {
  const queryClient = useQueryClient();
  const [concurrency, setConcurrency] = useState('8');
  const first = useRef<{ id: number; at: number; done: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const active = job !== null && !isFinished(job.status);
  const jobId = job?.id ?? null;

  useEffect(() => {
    if (jobId === null || !active) return;
    const stop = watchGenerationJob(
      jobId,
      (j) => {
        queryClient.setQueryData(samplingKeys.latestJob(projectId), j);
        setNow(Date.now());
      },
      // prompts became rankable: the dashboard's counts are stale
      () => void queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true }),
    );
    return stop;
  }, [jobId, active, projectId, queryClient]);

  if (job && first.current?.id !== job.id) first.current = { id: job.id, at: Date.now(), done: job.done + job.failed };

  const start = useMutation({
    mutationFn: () => startGenerationJob(projectId, Number(concurrency)),
    onSuccess: (res) => {
      first.current = { id: res.job.id, at: Date.now(), done: 0 };
      queryClient.setQueryData(samplingKeys.latestJob(projectId), res.job);
    },
  });
  const cancel = useMutation({
    mutationFn: (id: number) => cancelGenerationJob(id),
    onSuccess: (res) => queryClient.setQueryData(samplingKeys.latestJob(projectId), res.job),
  });

  const settled = job ? job.done + job.failed : 0;
  const rate = job && first.current ? progressRate(first.current, { at: now, done: settled }, job.total - settled) : { perSecond: null, etaSeconds: null };
  return (
    <div className="stack">
      <div className="row">
        <label className="inline">
          Concurrency
          <input type="number" min={1} max={512} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} style={{ width: '5rem' }} />
        </label>
        <button type="button" className="primary" disabled={active || start.isPending} onClick={() => start.mutate()}>
          {active ? 'Sampling…' : 'Sample missing responses'}
        </button>
        {active && job && (
          <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate(job.id)}>
            Cancel
          </button>
        )}
      </div>
      {start.isError && <p className="error">{start.error.message}</p>}
      {cancel.isError && <p className="error">{cancel.error.message}</p>}
      {job && (
        <div className="stack" aria-live="polite">
          <p>
            Job {job.id}: <strong>{job.status}</strong>
            {job.total === 0 && job.status === 'done' && <span className="muted"> — every prompt already had its K responses</span>}
          </p>
          {job.total > 0 && <ProgressBar done={settled} total={job.total} label="samples" />}
          <p className="muted">
            {job.done} sampled{job.failed > 0 && <>, {job.failed} failed</>}
            {active && rate.perSecond !== null && <> · {rate.perSecond.toFixed(1)} samples/s</>}
            {active && rate.etaSeconds !== null && <> · about {clock(rate.etaSeconds)} left</>}
            {job.duplicates > 0 && <> · {job.duplicates} kept as duplicates after re-sampling</>}
          </p>
          {job.lengthFinishes > 0 && (
            <p className="warn">
              {job.lengthFinishes} response{job.lengthFinishes === 1 ? ' was' : 's were'} cut off at max_tokens (finish reason “length”); raise max_tokens if that is not intended.
            </p>
          )}
          {job.errors.length > 0 && (
            <div className="notice bad-notice">
              <strong>Errors met</strong>
              <ul className="line-list">
                {[...job.errors]
                  .sort((a, b) => b.at.localeCompare(a.at))
                  .slice(0, 8)
                  .map((e) => (
                    <li key={e.message}>
                      {e.count > 1 && <>{e.count}× </>}
                      {e.message}
                      {e.externalId && <span className="muted"> (prompt {e.externalId})</span>}
                    </li>
                  ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
