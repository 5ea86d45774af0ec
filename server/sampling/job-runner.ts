import { setImmediate } from 'node:timers/promises';
import type { Store } from '../store/store.ts';
import type { GenerationJob, JobError, JobKind } from '../../shared/sampling.ts';
import type { JobStatus } from '../../shared/job-progress.ts';
import { publishJob } from './job-events.ts';
import type { BackoffOptions } from './retry-policy.ts';
import { leaseOwner, leaseTiming, type LeaseTiming } from './job-lease.ts';
import { startGenerationWork } from './generation-work.ts';
import { repeatOneAtATime } from '../timers/repeat.ts';
import { startJudgeWork } from '../judges/judge-work.ts';

export const defaultConcurrency = 8;
/** A job whose first prompts all fail (unknown model, wrong key) stops instead of failing every prompt one by one. */
const failFastAfter = 20;
const maxErrorsKept = 20;
/** Finished prompts waiting past this many are written at once rather than at the next tick. */
const flushAt = 500;
/**
 * At most this many prompts per write transaction on SQLite, whose transactions run synchronously on the event loop:
 * one flush of a few hundred prompts held it for 5–18 ms while answers queued behind it. Postgres awaits its server,
 * so it writes a flush in one transaction.
 */
const sqlitePromptsPerWrite = 16;

export type RunOptions = {
  env?: NodeJS.ProcessEnv;
  /** How often finished prompts are written (one transaction each time) and the job's status re-read. */
  flushMs?: number;
  backoff?: BackoffOptions;
  log?: (line: string) => void;
  /** Defaults to PODIUM_JOB_LEASE_MS (see job-lease.ts). */
  lease?: LeaseTiming;
  /** Who holds the lease; this process unless a test plays several processes in one. */
  owner?: string;
};

/**
 * What a kind of job does, seen from the runner: the runner owns the lease, the workers, the flush timer, cancel and
 * the job's end; the work owns what one unit of work is and how its results are stored.
 */
export type JobWork = {
  concurrency: number;
  /**
   * The next unit to do, or null when none is left; called by `concurrency` workers, each awaiting its unit. A unit
   * that is ready may come back as is rather than in a promise, which would cost a turn of the microtask queue
   * between one answer and the next request.
   */
  next(): WorkUnit | null | Promise<WorkUnit | null>;
  /** Finished results not yet written. */
  pending(): number;
  /**
   * Writes the first `max` finished results (taken synchronously, before the first await, so later ones go to the next
   * batch) and the job's counters under the lease fence, in one transaction; false, writing nothing, when `owner` lost
   * the lease.
   */
  record(owner: string, at: number, errors: JobError[], max: number): Promise<boolean>;
  close(): void;
};

export type WorkUnit = () => Promise<void>;

/** What the runner lends a kind's work. */
export type WorkContext = {
  job: GenerationJob;
  options: RunOptions;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Cancelled, stopped, taken over or stopped early: take no new unit. */
  stopped(): boolean;
  /** One prompt finished (its results are in the work's buffer); feeds the fail-fast rule and the batch size. */
  completed(failed: boolean): void;
  addError(message: string, prompt: { promptId: number; externalId: string } | null): void;
};

/** Sets a kind's work up for a job, or says why the job cannot run (it then fails with that message). */
export type StartWork = (store: Store, ctx: WorkContext) => Promise<JobWork | string>;

const kinds: Record<JobKind, StartWork> = { generation: startGenerationWork, judge: startJudgeWork };

/** `claimed` is false when another holder's lease is alive or the job has ended: nothing runs then. */
export type JobRun = { jobId: number; claimed: boolean; finished: Promise<JobStatus>; cancel: () => void; stop: () => Promise<void> };

const runs = new WeakMap<Store, Map<number, JobRun>>();
/** The runs this process has going on the store's database, by job id. */
export function runsOf(store: Store): Map<number, JobRun> {
  let m = runs.get(store);
  if (!m) {
    m = new Map();
    runs.set(store, m);
  }
  return m;
}

function addError(errors: JobError[], message: string, prompt: { promptId: number; externalId: string } | null): void {
  const at = new Date().toISOString();
  const same = errors.find((e) => e.message === message);
  if (same) {
    same.count++;
    same.at = at;
    same.promptId = prompt?.promptId ?? null;
    same.externalId = prompt?.externalId ?? null;
    return;
  }
  errors.push({ message, count: 1, promptId: prompt?.promptId ?? null, externalId: prompt?.externalId ?? null, at });
  if (errors.length > maxErrorsKept) {
    errors.sort((a, b) => a.at.localeCompare(b.at));
    errors.splice(0, errors.length - maxErrorsKept);
  }
}

/**
 * Runs (or resumes) a job of any kind (sampling, judge) in this process under a lease: it takes the lease first (one
 * conditional UPDATE), renews it every `renewMs`, and stops as soon as it finds someone else holds it. Units of work
 * flow through `concurrency` workers, each doing one HTTP request at a time; finished prompts are written in batches.
 * Calling it for a job already running here returns that run.
 */
export function runGenerationJob(store: Store, jobId: number, options: RunOptions = {}): Promise<JobRun> {
  const existing = runsOf(store).get(jobId);
  if (existing) return Promise.resolve(existing);
  // The claim is awaited: a second call meanwhile must get the same run, not claim (as the same owner) and start another.
  let pending = starting.get(store);
  if (!pending) {
    pending = new Map();
    starting.set(store, pending);
  }
  const inFlight = pending.get(jobId);
  if (inFlight) return inFlight;
  const started = startRun(store, jobId, options).finally(() => pending.delete(jobId));
  pending.set(jobId, started);
  return started;
}

const starting = new WeakMap<Store, Map<number, Promise<JobRun>>>();

async function startRun(store: Store, jobId: number, options: RunOptions): Promise<JobRun> {
  const mine = runsOf(store);

  const env = options.env ?? process.env;
  const flushMs = options.flushMs ?? 100;
  const timing = options.lease ?? leaseTiming(env);
  const owner = options.owner ?? leaseOwner;
  const claimedAt = Date.now();
  if (!(await store.sampling.claimJob(jobId, owner, claimedAt, claimedAt - timing.leaseMs))) {
    const status = (await store.sampling.jobStatus(jobId)) ?? 'failed';
    return { jobId, claimed: false, finished: Promise.resolve(status), cancel: () => {}, stop: async () => {} };
  }

  const controller = new AbortController();
  let stopping: 'cancel' | 'stop' | 'lost' | null = null;
  let work: JobWork | null = null;
  // Anything that finds the lease gone ends the run: cancelled if the table says so, else someone took it over.
  const leaseGone = async (): Promise<void> => {
    if (stopping) return;
    const status = await store.sampling.jobStatus(jobId);
    if (stopping) return;
    stopping = status === 'cancelled' ? 'cancel' : 'lost';
    controller.abort();
  };
  // A database hiccup is not a lost lease: a beat that fails is dropped and the next one tries again.
  const heartbeat = repeatOneAtATime(async () => {
    if (!(await store.sampling.renewLease(jobId, owner, Date.now()))) await leaseGone();
  }, timing.renewMs);

  const finished = (async (): Promise<JobStatus> => {
    const job = await store.sampling.job(jobId);
    if (!job) return 'failed';
    const errors: JobError[] = job.errors.map((e) => ({ ...e }));
    const fail = async (message: string): Promise<JobStatus> => {
      addError(errors, message, null);
      await store.sampling.failJob(jobId, owner, errors);
      const after = await store.sampling.job(jobId);
      if (after) publishJob(store.engine, after);
      return after?.status ?? 'failed';
    };
    const publish = async () => {
      const j = await store.sampling.job(jobId);
      if (j) publishJob(store.engine, j);
      return j;
    };

    let errorsChanged = false;
    let succeededPrompts = 0;
    let failedInARow = 0;
    let failFast = false;
    // Flushes run one after another, never two writing the same counters at once.
    let flushing: Promise<void> = Promise.resolve();
    const perWrite = store.engine.kind === 'sqlite' ? sqlitePromptsPerWrite : Number.POSITIVE_INFINITY;
    const flush = (max = perWrite): Promise<void> => (flushing = flushing.then(() => writeOutcomes(max)));
    const ctx: WorkContext = {
      job,
      options,
      env,
      signal: controller.signal,
      stopped: () => stopping !== null || failFast,
      completed: (failed) => {
        if (failed) {
          failedInARow++;
          if (succeededPrompts === 0 && failedInARow >= failFastAfter) {
            failFast = true;
            addError(errors, `stopped: the first ${failedInARow} prompts all failed`, null);
            controller.abort();
          }
        } else {
          succeededPrompts++;
          failedInARow = 0;
        }
        if ((work?.pending() ?? 0) >= flushAt) void flush();
      },
      addError: (message, prompt) => {
        addError(errors, message, prompt);
        errorsChanged = true;
      },
    };
    const started = await kinds[job.kind](store, ctx);
    if (typeof started === 'string') return fail(started);
    work = started;
    const unitOfWork = started;
    await publish();

    const concurrency = Math.max(1, unitOfWork.concurrency);
    let ranDry = false;

    async function writeOutcomes(promptsPerWrite: number): Promise<void> {
      if (stopping === 'lost') return; // the new owner does these prompts again; ours are not written
      if (unitOfWork.pending() || errorsChanged) {
        errorsChanged = false;
        // What is pending now, in transactions of `promptsPerWrite` prompts, each whole prompts under its own lease fence;
        // the loop handles the answers that arrived between two of them.
        for (let left = unitOfWork.pending(); ; ) {
          if (!(await unitOfWork.record(owner, Date.now(), errors, promptsPerWrite))) return leaseGone();
          left -= promptsPerWrite;
          if (left <= 0) break;
          await setImmediate();
        }
      }
      // A cancel from the API of another process (or of this one) lands in the table; stop at once.
      if (!stopping && (await store.sampling.jobStatus(jobId)) === 'cancelled') {
        stopping = 'cancel';
        controller.abort();
      }
      await publish();
    }

    const timer = setInterval(() => void flush(), flushMs);
    try {
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (;;) {
          const next = unitOfWork.next();
          // A unit is a function; anything else the work hands back (a promise, of whatever realm) is awaited.
          const unit = next === null || typeof next === 'function' ? next : await next;
          if (!unit) {
            // The first worker to find nothing left to do: what finished so far is written now, while the last
            // requests are in flight, rather than after the last answer.
            if (!ranDry && unitOfWork.pending() > 0) void flush();
            ranDry = true;
            return;
          }
          await unit();
        }
      }));
    } finally {
      clearInterval(timer);
      unitOfWork.close();
    }
    // Every worker is done, so no answer can wait behind a write: what is left goes in one transaction.
    await flush(Number.POSITIVE_INFINITY);
    if (stopping === 'lost') {
      options.log?.(`${job.kind} job ${jobId}: another process took its lease over; this one stops working on it`);
      return (await store.sampling.jobStatus(jobId)) ?? 'failed';
    }
    if (stopping === 'stop' || stopping === 'cancel') await store.sampling.releaseJob(jobId, owner);
    if (stopping === 'stop') return 'running';
    if (stopping !== 'cancel') {
      const j = await store.sampling.job(jobId);
      const status = failFast || (j && j.done === 0 && j.failed > 0) ? 'failed' : 'done';
      await store.sampling.finishJob(jobId, owner, status);
    }
    const final = await publish();
    return final?.status ?? 'failed';
  })()
    .catch(async (e: unknown) => {
      options.log?.(`job ${jobId} crashed: ${(e as Error).stack ?? String(e)}`);
      try {
        await store.sampling.failJob(jobId, owner, [{ message: `internal error: ${(e as Error).message}`, count: 1, promptId: null, externalId: null, at: new Date().toISOString() }]);
      } catch {
        // the database may be closed already
      }
      return 'failed' as const;
    })
    .finally(() => {
      void heartbeat.stop();
      mine.delete(jobId);
    });

  const run: JobRun = {
    jobId,
    claimed: true,
    finished,
    cancel: () => {
      if (stopping) return;
      stopping = 'cancel';
      controller.abort();
    },
    stop: async () => {
      if (!stopping) stopping = 'stop';
      controller.abort();
      await finished;
    },
  };
  mine.set(jobId, run);
  return run;
}
