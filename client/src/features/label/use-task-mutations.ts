import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AssignmentView, LabelerCounter, SubmitInput } from '../../../../shared/tasks.ts';
import { fetchNextTask, projectKeys, skipAssignment, submitAndFetchNext, taskKeys } from '../../api/queries.ts';
import { dropDraft } from './task-draft.ts';

/** Submitting or skipping a task, each answered by the next task (or none), shown at once with the counter moved. */
export function useTaskMutations(projectId: number, assignmentId: number) {
  const queryClient = useQueryClient();
  const showNext = (next: AssignmentView | null, countsAsDone: boolean) => {
    // The counter moves at once; the server's figure follows on the counter's own slow refresh.
    queryClient.setQueryData<LabelerCounter>(projectKeys.counter(projectId), (c) =>
      c && (countsAsDone ? { doneToday: c.doneToday + 1, done: c.done + 1, left: Math.max(0, c.left - 1) } : { ...c, left: Math.max(0, c.left - 1) }),
    );
    // Scrolled to the top while the old task is still laid out: cheap now, a forced layout of the new one later.
    window.scrollTo({ top: 0 });
    // No next task may mean nothing is left, or that this labeler was just paused: ask tasks/next, which says which.
    if (next === null) void queryClient.resetQueries({ queryKey: taskKeys.next(projectId) });
    else queryClient.setQueryData(taskKeys.next(projectId), next);
  };
  const submit = useMutation({
    mutationFn: (body: SubmitInput) => submitAndFetchNext(assignmentId, body),
    onSuccess: (next) => {
      dropDraft(assignmentId);
      showNext(next, true);
    },
  });
  const skip = useMutation({
    mutationFn: async (reason: string) => {
      await skipAssignment(assignmentId, reason);
      // The task is gone once the skip is stored, whether or not the next one arrives.
      dropDraft(assignmentId);
      return fetchNextTask(projectId);
    },
    onSuccess: (next) => showNext(next, false),
  });
  return { submit, skip };
}
