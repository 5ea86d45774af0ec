import type { Store } from '../store/store.ts';
import type { GenerationJob } from '../../shared/sampling.ts';
import { publishJob } from './job-events.ts';
import { leaseOwner, leaseTiming } from './job-lease.ts';
import { runGenerationJob, runsOf, type RunOptions } from './job-runner.ts';

// A job's life across processes: who may run it (the lease), taking over what a dead owner left, cancel from anywhere.

/** Cancels a queued or running job, wherever it runs: the table says so, and a run in this process stops now. */
export function cancelGenerationJob(store: Store, jobId: number): GenerationJob | null {
  store.sampling.cancelJob(jobId);
  runsOf(store).get(jobId)?.cancel();
  const job = store.sampling.job(jobId);
  if (job) publishJob(store.db, job);
  return job;
}

/** Whether another process holds a live lease on the job (the CLI then follows it instead of running it). */
export function leaseHeldElsewhere(store: Store, jobId: number, options: Pick<RunOptions, 'env' | 'lease' | 'owner'> = {}): boolean {
  const lease = store.sampling.lease(jobId);
  const { leaseMs } = options.lease ?? leaseTiming(options.env ?? process.env);
  return lease?.owner != null && lease.owner !== (options.owner ?? leaseOwner) && lease.heartbeatAt >= Date.now() - leaseMs;
}

const watchers = new WeakMap<Store, ReturnType<typeof setInterval>>();

/**
 * Start-up, and then every `renewMs` for as long as the server runs: takes over every unfinished job whose lease
 * is free or stale (its owner was killed, lost its container, or hangs), wherever that owner ran.
 */
export function resumeGenerationJobs(store: Store, options: RunOptions = {}): number[] {
  const timing = options.lease ?? leaseTiming(options.env ?? process.env);
  const takeOver = (): number[] => {
    const taken: number[] = [];
    for (const id of store.sampling.staleJobs(Date.now() - timing.leaseMs)) {
      if (runsOf(store).has(id)) continue;
      // the claim inside is conditional: of several processes seeing the same stale job, one wins
      if (runGenerationJob(store, id, { ...options, lease: timing }).claimed) taken.push(id);
    }
    if (taken.length) options.log?.(`Resuming generation job${taken.length > 1 ? 's' : ''} ${taken.join(', ')}`);
    return taken;
  };
  const first = takeOver();
  if (!watchers.has(store)) {
    const timer = setInterval(takeOver, timing.renewMs);
    timer.unref();
    watchers.set(store, timer);
  }
  return first;
}

/** Shutdown: stops watching and stops this process's runs without finishing their jobs; any process resumes them. */
export async function stopGenerationJobs(store: Store): Promise<void> {
  clearInterval(watchers.get(store));
  watchers.delete(store);
  await Promise.all([...runsOf(store).values()].map((r) => r.stop()));
}
