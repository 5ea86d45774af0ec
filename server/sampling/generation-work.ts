import type { Store } from '../store/store.ts';
import type { NewResponse } from '../store/prompts.ts';
import type { PendingPrompt, PromptOutcome, StoredResponse } from '../store/sampling.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import { policyLabel, type SamplingPolicy } from '../../shared/sampling.ts';
import { AbortedError, completeWithRetries, createChatClient, redact, UpstreamError, type ChatCompletion, type Endpoint, type RetryOptions } from './openai-client.ts';
import { duplicateKey, groupRequests, planSamples, sampleSeed, type NMode, type PlannedRequest, type PlannedSample } from './plan-samples.ts';
import { messagesFor, requestBody } from './chat-request.ts';
import { keyEnvProblem, resolveApiKey } from './endpoint-key.ts';
import { pendingPromptPages } from './pending-prompts.ts';
import type { StartWork } from './job-runner.ts';

/** How often a duplicate text is sampled again before it is kept and marked. */
export const maxDuplicateResamples = 2;

// What each endpoint did with n, per model, learnt once and kept for this process.
const nModes = new Map<string, NMode>();
const nModeKey = (baseUrl: string, model: string) => `${baseUrl}\n${model}`;

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

/** What a stored sample records of how it was drawn; keys in this order, as the stored JSON has always had them. */
function sampleParams(policy: SamplingPolicy, index: number, resample: number, res: ChatCompletion, shared: boolean): Record<string, unknown> {
  const params: Record<string, unknown> = { temperature: policy.temperature ?? null, top_p: policy.top_p ?? null, max_tokens: policy.max_tokens ?? null, sampleIndex: index };
  if (resample) params.resample = resample;
  if (res.model && res.model !== policy.model) params.servedBy = res.model;
  // usage covers every choice of a request; per choice it is unknown, so the request's total is kept here
  if (shared) {
    params.requestChoices = res.choices.length;
    params.requestCompletionTokens = res.completionTokens;
  }
  return params;
}

/** A sampling job's work: fill every prompt of the job up to K responses with the project's policies. */
export const startGenerationWork: StartWork = async (store: Store, ctx) => {
  const { job, options, env, signal } = ctx;
  const jobId = job.id;
  const project = await store.projects.byId(job.projectId);
  const settings = await store.sampling.settings(job.projectId);
  if (!project) return 'the project no longer exists';
  if (!settings) return 'the project has no sampling settings';
  const keyProblem = keyEnvProblem(settings, env);
  if (keyProblem) return keyProblem;
  const apiKey = resolveApiKey(settings, env);

  const k = project.responsesPerPrompt;
  const policies = settings.policies;
  const labels = policies.map(policyLabel);
  const endpoint: Endpoint = { baseUrl: settings.baseUrl, apiKey };
  const concurrency = Math.max(1, job.concurrency);
  const chat = createChatClient(concurrency);
  const retry: RetryOptions = { timeoutMs: settings.requestTimeoutMs, maxRetries: settings.maxRetries, signal, ...(options.backoff ? { backoff: options.backoff } : {}) };
  const nextPending = pendingPromptPages(store, jobId);

  const queue: Unit[] = [];
  let head = 0;
  // Re-samples and fall-backs go first, so a started prompt finishes (and is written) soon.
  const urgent: Unit[] = [];
  const outcomes: PromptOutcome[] = [];

  const complete = (run: PromptRun) => {
    if (run.interrupted) return; // sampled again on resume, never stored half
    outcomes.push({ promptId: run.promptId, needed: run.needed, responses: run.samples, error: run.error });
    ctx.completed(run.error !== null);
  };
  const settle = (unit: Unit) => {
    unit.prompt.outstanding--;
    if (unit.prompt.outstanding === 0) complete(unit.prompt);
  };
  const failPrompt = (run: PromptRun, message: string) => {
    if (run.error) return;
    run.error = redact(message, apiKey);
    ctx.addError(run.error, run);
  };
  const push = (unit: Unit, first: boolean) => {
    unit.prompt.outstanding++;
    (first ? urgent : queue).push(unit);
  };

  // Each policy's key into `nModes`, and the requests a prompt with nothing stored gets: the same for every such
  // prompt while the endpoint's modes stay as they were, so they are planned once per set of modes, not per prompt.
  const modeKeys = policies.map((p) => nModeKey(settings.baseUrl, p.model));
  const requestsFor = (plan: PlannedSample[]): PlannedRequest[] => {
    const byPolicy = new Map<number, NMode>();
    for (const s of plan) byPolicy.set(s.policy, nModes.get(modeKeys[s.policy] ?? '') ?? 'unknown');
    const requests: PlannedRequest[] = [];
    for (const [policy, mode] of byPolicy) requests.push(...groupRequests(plan.filter((s) => s.policy === policy), policies, mode));
    return requests;
  };
  const freshPlan = planSamples(policies, k, []);
  const freshPolicies = [...new Set(freshPlan.map((s) => s.policy))];
  const freshByModes = new Map<string, PlannedRequest[]>();
  const freshRequests = (): PlannedRequest[] => {
    const modes = freshPolicies.map((i) => nModes.get(modeKeys[i] ?? '') ?? 'unknown').join();
    let requests = freshByModes.get(modes);
    if (!requests) freshByModes.set(modes, (requests = requestsFor(freshPlan)));
    return requests;
  };

  // Synchronous unless the prompt has responses stored, which are read first (null: none).
  const expand = (p: PendingPrompt, stored: StoredResponse[] | null) => {
    const plan = stored ? planSamples(policies, k, stored.map((r) => ({ policy: r.policy, sampleIndex: sampleIndexOf(r.params) }))) : freshPlan;
    const run: PromptRun = {
      promptId: p.promptId,
      externalId: p.externalId,
      messages: messagesFor(settings.systemPrompt, JSON.parse(p.messages) as ChatMessage[]),
      seen: stored ? new Set(stored.map((r) => duplicateKey(r.text))) : new Set(),
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
    // the planned requests are shared between prompts: a unit only reads its indices
    for (const r of stored ? requestsFor(plan) : freshRequests()) push({ prompt: run, policy: r.policy, indices: r.indices, resample: 0, afterNRejected: false }, false);
  };

  // The next unit to send: returned as is while the queues or the loaded page hold one, a promise only when prompts
  // must be read first. Each promise on the way is a turn of the microtask queue between an answer and the next request.
  const nextUnit = (): Unit | null | Promise<Unit | null> => {
    for (;;) {
      if (ctx.stopped()) return null;
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
      const p = nextPending();
      if (p instanceof Promise || p.responseCount > 0) return expandRead(p);
      expand(p, null);
    }
  };
  const expandRead = async (next: PendingPrompt | Promise<PendingPrompt | null>): Promise<Unit | null> => {
    const p = await next;
    if (!p) return null;
    expand(p, p.responseCount > 0 ? await store.sampling.storedResponses(p.promptId) : null);
    return nextUnit();
  };
  const work = (u: Unit | null) => (u ? () => execute(u) : null);

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
      params: sampleParams(policy, index, unit.resample, res, shared),
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
    const modeKey = modeKeys[unit.policy] ?? nModeKey(settings.baseUrl, policy.model);
    let res: ChatCompletion;
    try {
      res = await completeWithRetries(chat, endpoint, requestBody(policy, unit.prompt.messages, n, seed), retry);
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
    for (let j = got; j < n; j++) push({ prompt: unit.prompt, policy: unit.policy, indices: [unit.indices[j] ?? 0], resample: unit.resample, afterNRejected: false }, true);
    settle(unit);
  };

  return {
    concurrency,
    next() {
      const u = nextUnit();
      return u instanceof Promise ? u.then(work) : work(u);
    },
    pending: () => outcomes.length,
    record(owner, at, errors, max) {
      const batch = outcomes.splice(0, max);
      return store.sampling.recordOutcomes(jobId, owner, at, batch, errors);
    },
    close: () => chat.close(),
  };
};
