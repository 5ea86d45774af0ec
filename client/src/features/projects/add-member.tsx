import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addProjectMember, projectKeys, usersOptions } from '../../api/queries.ts';

/**
 * Lets a lead add someone who may label the project. Only admins can list accounts, so an admin
 * picks from a list and a lead types the user id the admin gave them.
 */
export function AddMember({ projectId, isAdmin, memberIds }: { projectId: number; isAdmin: boolean; memberIds: ReadonlySet<number> }) {
  const [userId, setUserId] = useState('');
  const users = useQuery({ ...usersOptions(), enabled: isAdmin });
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: (id: number) => addProjectMember(projectId, id),
    onSuccess: () => {
      setUserId('');
      void queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = Number(userId);
    if (Number.isInteger(id) && id > 0) add.mutate(id);
  };
  const candidates = users.data?.filter((u) => !memberIds.has(u.id) && !u.disabled) ?? [];
  return (
    <form className="row add-member" onSubmit={submit} aria-label="Add member">
      {isAdmin ? (
        <select name="userId" aria-label="User" value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">Add a member…</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.username} ({u.role})
            </option>
          ))}
        </select>
      ) : (
        <input name="userId" aria-label="User id" type="number" min={1} placeholder="user id" value={userId} onChange={(e) => setUserId(e.target.value)} />
      )}
      <button type="submit" disabled={!userId || add.isPending}>
        Add
      </button>
      {add.isError && <span className="error">{add.error.message}</span>}
      {add.isSuccess && <span className="ok">Added.</span>}
    </form>
  );
}
