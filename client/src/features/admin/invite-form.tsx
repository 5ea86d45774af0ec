import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountKeys, createInvite, pendingInvitesOptions } from '../../api/account-queries.ts';
import type { Role } from '../../../../shared/users.ts';
import { RoleSelect } from './role-select.tsx';
import { counted } from '../../components/counted.ts';

/** Makes a one-time invite link; the link is shown once, the list keeps only what it is for and when it expires. */
export function InviteForm() {
  const [role, setRole] = useState<Role>('labeler');
  const [hours, setHours] = useState(24);
  const queryClient = useQueryClient();
  const pending = useQuery(pendingInvitesOptions());
  const create = useMutation({ mutationFn: () => createInvite(role, hours), onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.invites() }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const link = create.data ? `${window.location.origin}${create.data.path}` : null;
  return (
    <section className="card stack" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form className="invite-form" onSubmit={submit} aria-label="Invite someone">
        <label>
          Role
          <RoleSelect name="role" value={role} onRole={setRole} />
        </label>
        <label>
          Valid for
          {/* the unit stays on the input's line: the label is a grid, so it needs a row of its own */}
          <span className="with-unit">
            <input name="hours" type="number" min={1} max={168} value={hours} onChange={(e) => setHours(Number(e.target.value))} aria-label="Valid for (hours)" />
            hours
          </span>
        </label>
        <button type="submit" disabled={create.isPending}>
          Make link
        </button>
      </form>
      {link && (
        <p role="status">
          Send this link; it works once: <code className="secret">{link}</code>
        </p>
      )}
      {create.error && <p role="alert" className="error">{create.error.message}</p>}
      {pending.data && pending.data.length > 0 && (
        <p className="muted">
          {counted(pending.data.length, 'unused invite')}: {pending.data.map((i) => `${i.role} until ${new Date(i.expiresAt).toLocaleString()}`).join('; ')}
        </p>
      )}
    </section>
  );
}
