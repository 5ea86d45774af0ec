import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createUser, userKeys } from '../../api/queries.ts';
import { fieldIssues } from '../../api/field-issues.ts';
import { FieldError } from '../projects/field-error.tsx';
import type { Role } from '../../../../shared/users.ts';
import { RoleSelect } from './role-select.tsx';

/** Creates an account; the server's validation messages show under the field they are about. */
export function NewUserForm() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('labeler');
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () => createUser({ username, password, role }),
    onSuccess: () => {
      setUsername('');
      setPassword('');
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });
  const errors = create.error ? fieldIssues(create.error, { username_taken: 'username' }) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card stack" onSubmit={submit} aria-label="New user" noValidate>
      <h2>New user</h2>
      <label>
        Username
        <input name="username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        <FieldError message={errors.username} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <FieldError message={errors.password} />
      </label>
      <label>
        Role
        <RoleSelect name="role" value={role} onRole={setRole} />
        <FieldError message={errors.role} />
      </label>
      <FieldError message={errors['']} />
      {create.isSuccess && <p className="ok" role="status">Created {create.data.username} (id {create.data.id}).</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
