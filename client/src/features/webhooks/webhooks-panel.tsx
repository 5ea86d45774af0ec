import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createWebhook, deleteWebhook, updateWebhook, webhookKeys, webhooksOptions } from '../../api/webhook-queries.ts';
import { fieldIssues } from '../../api/field-issues.ts';
import { FieldError } from '../projects/field-error.tsx';
import { DeliveryLog } from './delivery-log.tsx';
import { minWebhookSecretLength, webhookEventMeaning, webhookEvents, type WebhookEvent } from '../../../../shared/webhook-events.ts';
import type { Webhook } from '../../../../shared/webhooks.ts';

/** 32 random bytes as hex: what `openssl rand -hex 32` prints, made in the browser so it never travels but once. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The lead's webhooks on the project dashboard: each with its events, counts and delivery log, and a form to add one. */
export function WebhooksPanel({ projectId }: { projectId: number }) {
  const hooks = useQuery({ ...webhooksOptions(projectId), refetchInterval: 5_000 });
  return (
    <section className="card stack" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted hint">
        Podium POSTs JSON to your URL when something happens, signed with <code>X-Podium-Signature: sha256=…</code> (HMAC-SHA256 of the body with your secret),
        and tries again with growing waits until your server answers 2xx. See the README for checking the signature.
      </p>
      {hooks.isPending ? (
        <p className="muted">Loading…</p>
      ) : hooks.isError ? (
        <p className="error">{hooks.error.message}</p>
      ) : hooks.data.length === 0 ? (
        <p className="muted">No webhooks yet.</p>
      ) : (
        <ul className="webhook-list">
          {hooks.data.map((h) => (
            <WebhookItem key={h.id} projectId={projectId} hook={h} />
          ))}
        </ul>
      )}
      <AddWebhookForm projectId={projectId} />
    </section>
  );
}

function WebhookItem({ projectId, hook }: { projectId: number; hook: Webhook }) {
  const queryClient = useQueryClient();
  const [showLog, setShowLog] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all(projectId) });
  const toggle = useMutation({ mutationFn: () => updateWebhook(projectId, hook.id, { active: !hook.active }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: () => deleteWebhook(projectId, hook.id), onSuccess: refresh });
  const d = hook.deliveries;
  return (
    <li className="webhook stack" data-webhook={hook.id}>
      <div className="row">
        <code className="webhook-url">{hook.url}</code>
        {!hook.active && <span className="pill warn">paused</span>}
      </div>
      <div className="row">
        {hook.events.map((e) => (
          <span key={e} className="pill mono" title={webhookEventMeaning[e]}>
            {e}
          </span>
        ))}
        <span className="muted hint" data-counts>
          {d.delivered} delivered · {d.pending} pending · <span className={d.failed ? 'error' : undefined}>{d.failed} failed</span>
        </span>
      </div>
      <div className="row">
        <button type="button" aria-expanded={showLog} onClick={() => setShowLog((v) => !v)}>
          {showLog ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {hook.active ? 'Pause' : 'Resume'}
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Delete it and its log
            </button>
            <button type="button" className="link-button" onClick={() => setConfirming(false)}>
              keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
        {(toggle.isError || remove.isError) && <span role="alert" className="error">{(toggle.error ?? remove.error)?.message}</span>}
      </div>
      {showLog && <DeliveryLog projectId={projectId} webhookId={hook.id} />}
    </li>
  );
}

type Draft = { url: string; events: WebhookEvent[]; secret: string };
const emptyDraft = (): Draft => ({ url: '', events: ['ranking.submitted'], secret: '' });

function AddWebhookForm({ projectId }: { projectId: number }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const add = useMutation({
    mutationFn: () => createWebhook(projectId, { url: draft.url.trim(), events: draft.events, secret: draft.secret }),
    onSuccess: () => {
      setDraft(emptyDraft());
      void queryClient.invalidateQueries({ queryKey: webhookKeys.all(projectId) });
    },
  });
  const issues = fieldIssues(add.error, { host_not_allowed: 'url' });
  const toggleEvent = (e: WebhookEvent, on: boolean) =>
    setDraft((d) => ({ ...d, events: on ? webhookEvents.filter((x) => x === e || d.events.includes(x)) : d.events.filter((x) => x !== e) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form className="stack add-webhook" onSubmit={submit} aria-label="Add a webhook">
      <p className="section-label">Add a webhook</p>
      <label>
        URL
        <input name="webhookUrl" type="url" inputMode="url" value={draft.url} onChange={(e) => setDraft((d) => ({ ...d, url: e.target.value }))} placeholder="https://ci.example.com/podium" required />
        <FieldError message={issues.url} />
      </label>
      <fieldset className="webhook-events">
        <legend>Events</legend>
        {webhookEvents.map((e) => (
          <label key={e} className="inline">
            <input type="checkbox" name={`event-${e}`} checked={draft.events.includes(e)} onChange={(ev) => toggleEvent(e, ev.target.checked)} />
            <code>{e}</code> <span className="muted hint">{webhookEventMeaning[e]}</span>
          </label>
        ))}
        <FieldError message={issues.events} />
      </fieldset>
      <label>
        Secret
        <div className="row">
          <input name="webhookSecret" className="mono grow" autoComplete="off" spellCheck={false} value={draft.secret} onChange={(e) => setDraft((d) => ({ ...d, secret: e.target.value }))} placeholder={`${minWebhookSecretLength} characters or more`} required />
          <button type="button" onClick={() => setDraft((d) => ({ ...d, secret: randomSecret() }))}>
            Generate
          </button>
        </div>
        <span className="muted hint">Copy it to your receiver before you add the webhook: Podium never shows it again.</span>
        <FieldError message={issues.secret} />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={add.isPending}>
          Add webhook
        </button>
        {issues[''] && <span role="alert" className="error">{issues['']}</span>}
        {add.isSuccess && <span className="ok">Added: the next event goes out to it.</span>}
      </div>
    </form>
  );
}
