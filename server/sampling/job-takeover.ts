import type { Store } from '../store/store.ts';
import type { GenerationJob } from '../../shared/sampling.ts';
import { publishJob } from './job-events.ts';
import { leaseOwner, leaseTiming } from './job-lease.ts';
import { runGenerationJob, runsOf, type RunOptions } from './job-runner.ts';
import { repeatOneAtATime, type Repeating } from '../timers/repeat.ts';

// A job's life across processes: who may run it (the lease), taking over what a dead owner left, cancel from anywhere.

/** Cancels a queued or running job, wherever it runs: the table says so, and a run in this process stops now. */
export async function cancelGenerationJob(store: Store, jobId: number): Promise<GenerationJob | null> {
  await store.sampling.cancelJob(jobId);
  runsOf(store).get(jobId)?.cancel();
  const job = await store.sampling.job(jobId);
  if (job) publishJob(store.engine, job);
  return job;
}

/** Whether another process holds a live lease on the job (the CLI then follows it instead of running it). */
export async function leaseHeldElsewhere(store: Store, jobId: number, options: Pick<RunOptions, 'env' | 'lease' | 'owner'> = {}): Promise<boolean> {
  const lease = await store.sampling.lease(jobId);
  const { leaseMs } = options.lease ?? leaseTiming(options.env ?? process.env);
  return lease?.owner != null && lease.owner !== (options.owner ?? leaseOwner) && lease.heartbeatAt >= Date.now() - leaseMs;
}

const watchers = new WeakMap<Store, Repeating>();

/**
 * Start-up, and then every `renewMs` for as long as the server runs: takes over every unfinished job whose lease
 * is free or stale (its owner was killed, lost its container, or hangs), wherever that owner ran.
 */
export async function resumeGenerationJobs(store: Store, options: RunOptions = {}): Promise<number[]> {
  const timing = options.lease ?? leaseTiming(options.env ?? process.env);
  const takeOver = async (): Promise<number[]> => {
    const taken: number[] = [];
    for (const id of await store.sampling.staleJobs(Date.now() - timing.leaseMs)) {
      if (runsOf(store).has(id)) continue;
      // the claim inside is conditional: of several processes seeing the same stale job, one wins
      if ((await runGenerationJob(store, id, { ...options, lease: timing })).claimed) taken.push(id);
    }
    if (taken.length) options.log?.(`Resuming generation job${taken.length > 1 ? 's' : ''} ${taken.join(', ')}`);
    return taken;
  };
  const first = await takeOver();
  if (!watchers.has(store)) {
    // A scan that fails (the database restarting) is retried at the next tick.
    watchers.set(store, repeatOneAtATime(takeOver, timing.renewMs));
  }
  return first;
}

/** Shutdown: stops watching and stops this process's runs without finishing their jobs; any process resumes them. */
export async function stopGenerationJobs(store: Store): Promise<void> {
  const watching = watchers.get(store);
  watchers.delete(store);
  await watching?.stop();
  await Promise.all([...runsOf(store).values()].map((r) => r.stop()));
}
