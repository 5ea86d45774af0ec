import type { GenerationJob } from '../../shared/sampling.ts';

type Listener = (job: GenerationJob) => void;

// Keyed by database so two servers in one process (tests) never hear each other's job 1.
const listeners = new WeakMap<object, Map<number, Set<Listener>>>();

/** Tells everyone watching a job (SSE streams, the CLI) its new counts, right after they were stored. */
export function publishJob(db: object, job: GenerationJob): void {
  const set = listeners.get(db)?.get(job.id);
  if (!set) return;
  for (const l of [...set]) l(job);
}

/** Calls `listener` with each update of the job this process makes; returns the unsubscribe. */
export function subscribeJob(db: object, jobId: number, listener: Listener): () => void {
  let byJob = listeners.get(db);
  if (!byJob) {
    byJob = new Map();
    listeners.set(db, byJob);
  }
  let set = byJob.get(jobId);
  if (!set) {
    set = new Set();
    byJob.set(jobId, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) byJob.delete(jobId);
  };
}
