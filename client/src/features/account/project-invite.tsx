import { useMutation } from '@tanstack/react-query';
import { createProjectInvite } from '../../api/account-queries.ts';

/** For a project's lead: a one-time link that makes a labeler account already added to this project. */
export function ProjectInvite({ projectId }: { projectId: number }) {
  const create = useMutation({ mutationFn: () => createProjectInvite(projectId, 72) });
  return (
    <div className="stack">
      <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>Invite a labeler (link valid 3 days)</button>
      {create.data && (
        <p role="status">
          Send this link; it works once: <code className="secret">{`${window.location.origin}${create.data.path}`}</code>
        </p>
      )}
      {create.error && <p role="alert" className="error">{create.error.message}</p>}
    </div>
  );
}
