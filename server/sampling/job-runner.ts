import { setMaxListeners } from 'node:events';
import type { Store } from '../store/store.ts';
import type { NewResponse } from '../store/prompts.ts';
import type { PendingPrompt, PromptOutcome } from '../store/sampling.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import { policyLabel, type JobError, type SamplingPolicy } from '../../shared/sampling.ts';
import type { JobStatus } from '../../shared/job-progress.ts';
import { AbortedError, completeWithRetries, createChatClient, redact, UpstreamError, type ChatClient, type ChatCompletion, type Endpoint } from './openai-client.ts';
import { duplicateKey, groupRequests, planSamples, sampleSeed, type NMode, type StoredSample } from './plan-samples.ts';
import { publishJob } from './job-events.ts';
import { messagesFor, requestBody } from './chat-request.ts';
import type { BackoffOptions } from './retry-policy.ts';
import { keyEnvProblem, resolveApiKey } from './endpoint-key.ts';
import { leaseOwner, leaseTiming, type LeaseTiming } from './job-lease.ts';

export const defaultConcurrency = 8;
/** How often a duplicate text is sampled again before it is kept and marked. */
export const maxDuplicateResamples = 2;
/** A job whose first prompts all fail (unknown model, wrong key) stops instead of failing every prompt one by one. */
const failFastAfter = 20;
const maxErrorsKept = 20;
const pageSize = 256;

// What each endpoint did with n, per model, learnt once and kept for this process.
const nModes = new Map<string, NMode>();
const nModeKey = (baseUrl: string, model: string) => `${baseUrl}\n${model}`;

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

type PromptRun = {
  promptId: number;
  externalId: string;
  messages: ChatMessage[];
  seen: Set<string>;
  samples: NewResponse[];
  outstanding: number;
  needed: number;
  error: string | null;
  interrupted: boolean;
};
type Unit = { prompt: PromptRun; policy: number; indices: number[]; resample: number; afterNRejected: boolean };

function sampleIndexOf(params: string | null): number | null {
  if (!params) return null;
  try {
    const p = JSON.parse(params) as { sampleIndex?: unknown };
    return typeof p.sampleIndex === 'number' ? p.sampleIndex : null;
  } catch {
    return null;
  }
}

/**
 * Runs (or resumes) a job in this process under a lease: it takes the lease first (one conditional UPDATE), renews
 * it every `renewMs`, and stops as soon as it finds someone else holds it. Prompts flow through `concurrency`
 * workers, each doing one HTTP request at a time; finished prompts are written in batches. Calling it for a job
 * already running here returns that run.
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
  let client: ChatClient | null = null;
  // Anything that finds the lease gone ends the run: cancelled if the table says so, else someone took it over.
  const leaseGone = async (): Promise<void> => {
    if (stopping) return;
    const status = await store.sampling.jobStatus(jobId);
    if (stopping) return;
    stopping = status === 'cancelled' ? 'cancel' : 'lost';
    controller.abort();
  };
  const heartbeat = setInterval(() => {
    store.sampling.renewLease(jobId, owner, Date.now()).then(
      (held) => (held ? undefined : leaseGone()),
      // a database hiccup is not a lost lease; the next beat tries again
      () => {},
    );
  }, timing.renewMs);

  const finished = (async (): Promise<JobStatus> => {
    const job = await store.sampling.job(jobId);
    if (!job) return 'failed';
    const errors: JobError[] = job.errors.map((e) => ({ ...e }));
    const project = await store.projects.byId(job.projectId);
    const settings = await store.sampling.settings(job.projectId);
    const fail = async (message: string): Promise<JobStatus> => {
      addError(errors, message, null);
      await store.sampling.failJob(jobId, owner, errors);
      const after = await store.sampling.job(jobId);
      if (after) publishJob(store.engine, after);
      return after?.status ?? 'failed';
    };
    if (!project) return fail('the project no longer exists');
    if (!settings) return fail('the project has no sampling settings');
    const keyProblem = keyEnvProblem(settings, env);
    if (keyProblem) return fail(keyProblem);
    const apiKey = resolveApiKey(settings, env);
    const publish = async () => {
      const j = await store.sampling.job(jobId);
      if (j) publishJob(store.engine, j);
      return j;
    };
    await publish();

    const k = project.responsesPerPrompt;
    const policies = settings.policies;
    const labels = policies.map(policyLabel);
    const endpoint: Endpoint = { baseUrl: settings.baseUrl, apiKey };
    const concurrency = Math.max(1, job.concurrency);
    // every request in flight and every retry wait listens for cancel on the one signal
    setMaxListeners(concurrency * 2 + 16, controller.signal);
    client = createChatClient(concurrency);
    const chat = client;

    // Prompts come from the task table a page at a time, so a 100k-prompt job never holds them all.
    let page: PendingPrompt[] = [];
    let after = 0;
    let exhausted = false;
    // One page read at a time: workers that find the page empty together wait for the same read.
    let loading: Promise<void> | null = null;
    const nextPending = async (): Promise<PendingPrompt | null> => {
      while (page.length === 0 && !exhausted) {
        loading ??= store.sampling.pendingPrompts(jobId, after, pageSize).then((rows) => {
          page = rows;
          if (rows.length === 0) exhausted = true;
          else after = rows[rows.length - 1]?.promptId ?? after;
          loading = null;
        });
        await loading;
      }
      return page.shift() ?? null;
    };

    const queue: Unit[] = [];
    let head = 0;
    // Re-samples and fall-backs go first, so a started prompt finishes (and is written) soon.
    const urgent: Unit[] = [];
    let outcomes: PromptOutcome[] = [];
    let errorsChanged = false;
    let succeededPrompts = 0;
    let failedInARow = 0;
    let failFast = false;

    const complete = (run: PromptRun) => {
      if (run.interrupted) return; // sampled again on resume, never stored half
      outcomes.push({ promptId: run.promptId, needed: run.needed, responses: run.samples, error: run.error });
      if (run.error) {
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
      if (outcomes.length >= 500) void flush();
    };
    const settle = (unit: Unit) => {
      unit.prompt.outstanding--;
      if (unit.prompt.outstanding === 0) complete(unit.prompt);
    };
    const failPrompt = (run: PromptRun, message: string) => {
      if (run.error) return;
      run.error = redact(message, apiKey);
      addError(errors, run.error, run);
      errorsChanged = true;
    };
    const push = (unit: Unit, first: boolean) => {
      unit.prompt.outstanding++;
      (first ? urgent : queue).push(unit);
    };

    const expand = async (p: PendingPrompt) => {
      const stored = p.responseCount > 0 ? await store.sampling.storedResponses(p.promptId) : [];
      const storedSamples: StoredSample[] = stored.map((r) => ({ policy: r.policy, sampleIndex: sampleIndexOf(r.params) }));
      const plan = planSamples(policies, k, storedSamples);
      const run: PromptRun = {
        promptId: p.promptId,
        externalId: p.externalId,
        messages: messagesFor(settings.systemPrompt, JSON.parse(p.messages) as ChatMessage[]),
        seen: new Set(stored.map((r) => duplicateKey(r.text))),
        samples: [],
        outstanding: 0,
        needed: plan.length,
        error: null,
        interrupted: false,
      };
      if (plan.length === 0) {
        complete(run);
        return;
      }
      const byPolicy = new Map<number, NMode>();
      for (const s of plan) byPolicy.set(s.policy, nModes.get(nModeKey(settings.baseUrl, policies[s.policy]?.model ?? '')) ?? 'unknown');
      for (const [policy, mode] of byPolicy) {
        for (const r of groupRequests(plan.filter((s) => s.policy === policy), policies, mode)) {
          push({ prompt: run, policy: r.policy, indices: r.indices, resample: 0, afterNRejected: false }, false);
        }
      }
    };

    const nextUnit = async (): Promise<Unit | null> => {
      for (;;) {
        if (stopping || failFast) return null;
        const u = urgent.pop() ?? (head < queue.length ? queue[head++] : undefined);
        if (head === queue.length && head > 0) {
          queue.length = 0;
          head = 0;
        }
        if (u) {
          if (u.prompt.error) {
            settle(u); // a failed prompt's other requests are not worth sending
            continue;
          }
          return u;
        }
        const p = await nextPending();
        if (!p) return null;
        await expand(p);
      }
    };

    const accept = (unit: Unit, index: number, policy: SamplingPolicy, seed: number | null, res: ChatCompletion, choiceIndex: number, shared: boolean) => {
      const run = unit.prompt;
      const choice = res.choices[choiceIndex];
      if (!choice) return;
      const key = duplicateKey(choice.text);
      const duplicate = run.seen.has(key);
      if (duplicate && unit.resample < maxDuplicateResamples) {
        push({ prompt: run, policy: unit.policy, indices: [index], resample: unit.resample + 1, afterNRejected: false }, true);
        return;
      }
      run.seen.add(key);
      run.samples.push({
        text: choice.text,
        model: policy.model,
        policy: labels[unit.policy] ?? null,
        params: {
          temperature: policy.temperature ?? null,
          top_p: policy.top_p ?? null,
          max_tokens: policy.max_tokens ?? null,
          sampleIndex: index,
          ...(unit.resample ? { resample: unit.resample } : {}),
          ...(res.model && res.model !== policy.model ? { servedBy: res.model } : {}),
          // usage covers every choice of a request; per choice it is unknown, so the request's total is kept here
          ...(shared ? { requestChoices: res.choices.length, requestCompletionTokens: res.completionTokens } : {}),
        },
        seed,
        latencyMs: res.latencyMs,
        promptTokens: res.promptTokens,
        completionTokens: shared ? null : res.completionTokens,
        finishReason: choice.finishReason,
        duplicate,
        source: 'sampled',
      });
    };

    const execute = async (unit: Unit) => {
      const policy = policies[unit.policy];
      if (!policy) return settle(unit);
      const n = unit.indices.length;
      const seed = n === 1 ? sampleSeed(policy, unit.indices[0] ?? 0, unit.resample) : null;
      const modeKey = nModeKey(settings.baseUrl, policy.model);
      let res: ChatCompletion;
      try {
        res = await completeWithRetries(chat, endpoint, requestBody(policy, unit.prompt.messages, n, seed), {
          timeoutMs: settings.requestTimeoutMs,
          maxRetries: settings.maxRetries,
          signal: controller.signal,
          ...(options.backoff ? { backoff: options.backoff } : {}),
        });
      } catch (e) {
        if (e instanceof AbortedError) {
          unit.prompt.interrupted = true;
          return settle(unit);
        }
        if (e instanceof UpstreamError && n > 1 && (e.status === 400 || e.status === 422)) {
          // Older llama.cpp answers n > 1 with a 400; ask once per sample before calling the prompt failed.
          for (const i of unit.indices) push({ prompt: unit.prompt, policy: unit.policy, indices: [i], resample: unit.resample, afterNRejected: true }, true);
          return settle(unit);
        }
        const message = e instanceof UpstreamError ? (e.retryable && settings.maxRetries > 0 ? `${e.message} (gave up after ${settings.maxRetries} retries)` : e.message) : `unexpected error: ${(e as Error).message}`;
        failPrompt(unit.prompt, message);
        return settle(unit);
      }
      if (n > 1) nModes.set(modeKey, res.choices.length >= n ? 'n' : 'single');
      else if (unit.afterNRejected) nModes.set(modeKey, 'single');
      if (res.choices.length === 0) {
        failPrompt(unit.prompt, 'the server returned no choices');
        return settle(unit);
      }
      const got = Math.min(n, res.choices.length);
      for (let j = 0; j < got; j++) accept(unit, unit.indices[j] ?? 0, policy, seed, res, j, n > 1);
      // Ollama and TGI return one choice whatever n says: the rest become single requests.
      for (const i of unit.indices.slice(got)) push({ prompt: unit.prompt, policy: unit.policy, indices: [i], resample: unit.resample, afterNRejected: false }, true);
      settle(unit);
    };

    const writeOutcomes = async (): Promise<void> => {
      if (stopping === 'lost') return; // the new owner samples these prompts again; ours are not written
      if (outcomes.length || errorsChanged) {
        const batch = outcomes;
        outcomes = [];
        errorsChanged = false;
        if (!(await store.sampling.recordOutcomes(jobId, owner, Date.now(), batch, errors))) return leaseGone();
      }
      // A cancel from the API of another process (or of this one) lands in the table; stop at once.
      if (!stopping && (await store.sampling.jobStatus(jobId)) === 'cancelled') {
        stopping = 'cancel';
        controller.abort();
      }
      await publish();
    };
    // Flushes run one after another, never two writing the same counters at once.
    let flushing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => (flushing = flushing.then(writeOutcomes));

    const timer = setInterval(flush, flushMs);
    try {
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let unit = await nextUnit(); unit; unit = await nextUnit()) await execute(unit);
      }));
    } finally {
      clearInterval(timer);
      chat.close();
    }
    await flush();
    if (stopping === 'lost') {
      options.log?.(`generation job ${jobId}: another process took its lease over; this one stops working on it`);
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
      options.log?.(`generation job ${jobId} crashed: ${(e as Error).stack ?? String(e)}`);
      try {
        await store.sampling.failJob(jobId, owner, [{ message: `internal error: ${(e as Error).message}`, count: 1, promptId: null, externalId: null, at: new Date().toISOString() }]);
      } catch {
        // the database may be closed already
      }
      return 'failed' as const;
    })
    .finally(() => {
      clearInterval(heartbeat);
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
