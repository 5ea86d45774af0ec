import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { meOptions } from '../../api/queries.ts';
import { samplingKeys, saveSamplingSettings, testSamplingConnection } from '../../api/sampling-queries.ts';
import { fieldIssues } from '../../api/field-issues.ts';
import type { SamplingSettingsView } from '../../../../shared/sampling.ts';
import { apiKeyEnvPrefix } from '../../../../shared/api-key-env.ts';
import { draftFrom, toPolicy, type Draft } from './sampling-draft.ts';
import { ConnectionTest, TestResult } from './connection-test.tsx';
import { PolicyTable } from './policy-table.tsx';

/** Where to sample from and how: a summary of the saved settings with a connection test, or the form that edits them. */
export function SettingsForm({ projectId, k, saved }: { projectId: number; k: number; saved: SamplingSettingsView | null }) {
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
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
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
      <PolicyTable policies={draft.policies} k={k} issue={issues.policies} onChange={(policies) => set({ policies })} />
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
