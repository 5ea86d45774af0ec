import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addProjectMember, projectKeys } from '../../api/queries.ts';
import { memberCandidatesOptions, removeProjectMember } from '../../api/member-queries.ts';

/** Lets a lead (labelers only) or an admin (anyone) add someone who may label the project. */
export function AddMember({ projectId }: { projectId: number }) {
  const [userId, setUserId] = useState('');
  const candidates = useQuery(memberCandidatesOptions(projectId));
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: (id: number) => addProjectMember(projectId, id),
    onSuccess: () => {
      setUserId('');
      // the detail key covers the candidate list too
      void queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = Number(userId);
    if (Number.isInteger(id) && id > 0) add.mutate(id);
  };
  return (
    <form className="row add-member" onSubmit={submit} aria-label="Add member">
      <select name="userId" aria-label="User" value={userId} onChange={(e) => setUserId(e.target.value)}>
        <option value="">Add a member…</option>
        {(candidates.data ?? []).map((u) => (
          <option key={u.id} value={u.id}>
            {u.username} ({u.role})
          </option>
        ))}
      </select>
      <button type="submit" disabled={!userId || add.isPending}>
        Add
      </button>
      {candidates.isError && <span className="error">{candidates.error.message}</span>}
      {add.isError && <span className="error">{add.error.message}</span>}
      {add.isSuccess && <span className="ok">Added.</span>}
    </form>
  );
}

/** Takes a labeler off the project; their open task goes back to the pool, their rankings stay. */
export function RemoveMember({ projectId, userId, username }: { projectId: number; userId: number; username: string }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => removeProjectMember(projectId, userId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
  return (
    <>
      <button type="button" aria-label={`Remove ${username}`} onClick={() => remove.mutate()} disabled={remove.isPending}>
        Remove
      </button>
      {remove.isError && <span role="alert" className="error">{remove.error.message}</span>}
    </>
  );
}
