import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { accountKeys, endUserSessions, resetPassword, updateUser } from '../../api/account-queries.ts';
import { userKeys } from '../../api/queries.ts';
import type { Role, User } from '../../../../shared/users.ts';
import { RoleSelect } from './role-select.tsx';
import { UserTokens } from './user-tokens.tsx';
import { counted } from '../../components/counted.ts';

/** The admin's controls for one account: role, disable/enable, password reset, sign out everywhere, its API tokens. */
export function UserActions({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [newPassword, setNewPassword] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [showTokens, setShowTokens] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: userKeys.all });
  const update = useMutation({ mutationFn: (change: { disabled?: boolean; role?: Role }) => updateUser(user.id, change), onSuccess: refresh });
  const reset = useMutation({
    mutationFn: (password: string) => resetPassword(user.id, password),
    onSuccess: (r) => {
      setNewPassword(null);
      setNotice(`Password set; ${counted(r.endedSessions, 'session')} ended, ${counted(r.revokedTokens, 'token')} revoked.`);
    },
  });
  const end = useMutation({
    mutationFn: () => endUserSessions(user.id),
    onSuccess: (r) => {
      setNotice(`${counted(r.endedSessions, 'session')} ended, ${counted(r.revokedTokens, 'token')} revoked.`);
      void queryClient.invalidateQueries({ queryKey: accountKeys.userTokens(user.id) });
    },
  });
  const error = update.error ?? reset.error ?? end.error;
  return (
    <div className="row user-actions">
      <RoleSelect aria-label={`Role of ${user.username}`} value={user.role} onRole={(role) => update.mutate({ role })} disabled={update.isPending} />
      <button type="button" onClick={() => update.mutate({ disabled: !user.disabled })} disabled={update.isPending}>
        {user.disabled ? 'Enable' : 'Disable'}
      </button>
      {newPassword === null ? (
        <button type="button" onClick={() => setNewPassword('')}>Reset password</button>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            reset.mutate(newPassword);
          }}
        >
          <input type="password" aria-label={`New password for ${user.username}`} autoComplete="new-password" minLength={8} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} required autoFocus />
          <button type="submit" disabled={reset.isPending}>Set</button>
          <button type="button" onClick={() => setNewPassword(null)}>Cancel</button>
        </form>
      )}
      <button type="button" onClick={() => end.mutate()} disabled={end.isPending} title="End every session and revoke every API token of this person">
        Sign out everywhere
      </button>
      <button type="button" aria-expanded={showTokens} onClick={() => setShowTokens((v) => !v)}>
        Tokens
      </button>
      {showTokens && <UserTokens userId={user.id} username={user.username} />}
      {notice && <span role="status" className="muted">{notice}</span>}
      {error && <span role="alert" className="error">{error.message}</span>}
    </div>
  );
}
