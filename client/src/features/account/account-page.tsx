import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountKeys, changePassword, createToken, revokeSession, revokeToken, sessionsOptions, tokensOptions } from '../../api/account-queries.ts';
import { browserSummary } from './browser-summary.ts';
import { counted } from '../../components/counted.ts';

/** One's own account: password, where one is logged in, API tokens for scripts. */
export function AccountPage() {
  return (
    <main className="page">
      <h1>Account</h1>
      {/* two columns that fill independently: a long session list no longer leaves a gap under the password form */}
      <div className="account-grid">
        <div className="stack account-column">
          <PasswordForm />
          <TokensCard />
        </div>
        <SessionsCard />
      </div>
    </main>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  // Checked by default, as the API defaults it: a password changed because it leaked should take the tokens with it.
  const [revokeTokens, setRevokeTokens] = useState(true);
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: () => changePassword(current, next, revokeTokens),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      void queryClient.invalidateQueries({ queryKey: accountKeys.sessions() });
      void queryClient.invalidateQueries({ queryKey: accountKeys.tokens() });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <label>
        Current password
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </label>
      <label>
        New password (8 characters or more)
        <input type="password" autoComplete="new-password" minLength={8} value={next} onChange={(e) => setNext(e.target.value)} required />
      </label>
      <label className="row">
        <input type="checkbox" name="revokeTokens" checked={revokeTokens} onChange={(e) => setRevokeTokens(e.target.checked)} />
        Also revoke my API tokens (scripts using them stop working)
      </label>
      {change.error && <p role="alert" className="error">{change.error.message}</p>}
      {change.data && (
        <p role="status" className="muted">
          Password changed; {counted(change.data.endedSessions, 'other session')} logged out, {counted(change.data.revokedTokens, 'token')} revoked.
        </p>
      )}
      <button type="submit" className="primary" disabled={change.isPending}>Change password</button>
    </form>
  );
}

function SessionsCard() {
  const sessions = useQuery(sessionsOptions());
  const queryClient = useQueryClient();
  const revoke = useMutation({ mutationFn: revokeSession, onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }) });
  return (
    <section className="card stack" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are logged in</h2>
      {sessions.isError && <p className="error">{sessions.error.message}</p>}
      {sessions.data && (
        <ul className="session-list">
          {sessions.data.map((s) => (
            <li key={s.id}>
              <div className="session-what">
                <span title={s.userAgent ?? undefined}>{browserSummary(s.userAgent)}</span>
                {s.address && <span className="muted"> · {s.address}</span>}
                <div className="muted hint">since {new Date(s.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</div>
              </div>
              {s.current ? (
                <span className="pill">this one</span>
              ) : (
                <button type="button" onClick={() => revoke.mutate(s.id)} disabled={revoke.isPending && revoke.variables === s.id}>
                  Log out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoke.error && <p role="alert" className="error">{revoke.error.message}</p>}
    </section>
  );
}

function TokensCard() {
  const tokens = useQuery(tokensOptions());
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens() });
  const create = useMutation({ mutationFn: () => createToken(name), onSuccess: () => { setName(''); void refresh(); } });
  const revoke = useMutation({ mutationFn: revokeToken, onSuccess: refresh });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card stack" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token can do what you can.</p>
      <form className="row" onSubmit={submit}>
        <input aria-label="Token name" placeholder="what it is for" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        <button type="submit" disabled={create.isPending}>Create token</button>
      </form>
      {create.data && (
        <p role="status">
          Copy it now, it is shown only once: <code className="secret">{create.data.token}</code>
        </p>
      )}
      {create.error && <p role="alert" className="error">{create.error.message}</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table className="dense">
          <thead><tr><th>Name</th><th>Created</th><th>Last used</th><th /></tr></thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td className="muted">{new Date(t.createdAt).toLocaleDateString()}</td>
                <td className="muted">{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>{t.revokedAt ? <span className="muted">revoked</span> : <button type="button" onClick={() => revoke.mutate(t.id)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
