import { useMutation, useQueryClient } from '@tanstack/react-query';
import { projectKeys } from '../../api/queries.ts';
import { setLabelerExcluded } from '../../api/review-queries.ts';
import { ReasonButton } from '../review/reason-button.tsx';

/** Excluding a labeler takes their rankings out of every figure, the results and the export; it changes the whole project. */
export function ExcludeControl({ projectId, userId, username }: { projectId: number; userId: number; username: string }) {
  const queryClient = useQueryClient();
  return (
    <ReasonButton
      label="Exclude"
      confirmLabel={`Exclude ${username}`}
      onConfirm={async (reason) => {
        await setLabelerExcluded(projectId, userId, { excluded: true, reason });
        await queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) });
      }}
    />
  );
}

/** Takes an excluded labeler back: their rankings count again everywhere. */
export function IncludeButton({ projectId, userId }: { projectId: number; userId: number }) {
  const queryClient = useQueryClient();
  const include = useMutation({
    mutationFn: () => setLabelerExcluded(projectId, userId, { excluded: false }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
  return (
    <button type="button" onClick={() => include.mutate()} disabled={include.isPending}>
      Include again
    </button>
  );
}
