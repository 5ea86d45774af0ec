import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'wouter';
import { acceptInvite, inviteOptions } from '../../api/account-queries.ts';
import { meKeys } from '../../api/queries.ts';

/** `/invite/:token`: the invited person picks a username and password; the link then stops working. */
export function InvitePage() {
  const token = useParams().token ?? '';
  const invite = useQuery(inviteOptions(token));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const accept = useMutation({
    mutationFn: () => acceptInvite(token, username, password),
    onSuccess: ({ user }) => {
      queryClient.setQueryData(meKeys.me, user);
      navigate(invite.data?.projectId ? `/projects/${invite.data.projectId}/label` : '/projects', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate();
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card login-card" aria-label="Accept invite">
        <h1>Podium</h1>
        {invite.isPending && <p className="muted">Checking the invite…</p>}
        {invite.isError && (
          <>
            <p role="alert" className="error">{invite.error.message}</p>
            <p><Link to="/login">Log in</Link></p>
          </>
        )}
        {invite.data && (
          <>
            <p>
              You are invited as a <strong>{invite.data.role}</strong>
              {invite.data.projectName ? <> to label <strong>{invite.data.projectName}</strong></> : null}. The link works once, until{' '}
              {new Date(invite.data.expiresAt).toLocaleString()}.
            </p>
            <label>
              Username
              <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus required />
            </label>
            <label>
              Password (8 characters or more)
              <input name="password" type="password" autoComplete="new-password" minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} required />
            </label>
            {accept.error && <p role="alert" className="error">{accept.error.message}</p>}
            <button type="submit" className="primary" disabled={accept.isPending}>Create my account</button>
          </>
        )}
      </form>
    </main>
  );
}
