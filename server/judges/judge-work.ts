import type { Store } from '../store/store.ts';
import type { PendingPrompt } from '../store/sampling.ts';
import type { JudgeOrderRanking, JudgeOutcome } from '../store/judges.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { StartWork } from '../sampling/job-runner.ts';
import { AbortedError, completeWithRetries, createChatClient, redact, UpstreamError, type ChatRequestBody, type Endpoint, type RetryOptions } from '../sampling/openai-client.ts';
import { keyEnvProblem, resolveApiKey } from '../sampling/endpoint-key.ts';
import { pendingPromptPages } from '../sampling/pending-prompts.ts';
import { defaultJudgeTemplate, displayOrders, judgeMessages } from './judge-prompt.ts';
import { parseJudgeAnswer } from './parse-judge-answer.ts';
import { judgeEndpointKeys, judgeRequestLimits, noJudgeEndpoint } from './judge-endpoint.ts';

/** An answer that cannot be read gets this many more requests before the judgement counts as failed. */
export const unreadableRetries = 1;

type PromptRun = { promptId: number; externalId: string; outstanding: number; outcome: JudgeOutcome; interrupted: boolean };
type Unit = { prompt: PromptRun; displayIndex: number; shown: number[]; messages: ChatMessage[] };

/** A judge run's work: rank each pending prompt in each display order it lacks, one request per order. */
export const startJudgeWork: StartWork = async (store: Store, ctx) => {
  const { job, options, env, signal } = ctx;
  const judge = job.judgeId === null ? null : await store.judges.byId(job.judgeId);
  const project = await store.projects.byId(job.projectId);
  if (!project) return 'the project no longer exists';
  if (!judge) return 'the judge no longer exists';
  const sampling = await store.sampling.settings(project.id);
  const keys = judgeEndpointKeys(judge, sampling);
  if (!keys) return noJudgeEndpoint;
  const keyProblem = keyEnvProblem(keys, env);
  if (keyProblem) return keyProblem;
  const apiKey = resolveApiKey(keys, env);
  const endpoint: Endpoint = { baseUrl: keys.baseUrl, apiKey };
  const limits = judgeRequestLimits(sampling);
  const retry: RetryOptions = { ...limits, signal, ...(options.backoff ? { backoff: options.backoff } : {}) };
  const template = judge.template ?? defaultJudgeTemplate;
  const criteria = project.criteria;
  const orders = judge.bothOrders ? 2 : 1;
  const concurrency = Math.max(1, job.concurrency);
  const chat = createChatClient(concurrency);
  const nextPending = pendingPromptPages(store, job.id);

  const queue: Unit[] = [];
  const outcomes: JudgeOutcome[] = [];

  const settle = (run: PromptRun) => {
    if (--run.outstanding > 0 || run.interrupted) return; // an interrupted prompt is judged again on resume, never stored half
    outcomes.push(run.outcome);
    ctx.completed(run.outcome.rankings.length === 0 && run.outcome.needed > 0);
  };
  const failOrder = (unit: Unit, error: string, answer: string | null) => {
    const message = redact(error, apiKey);
    unit.prompt.outcome.failures.push({ displayIndex: unit.displayIndex, error: message, answer });
    ctx.addError(message, unit.prompt);
  };

  const expand = async (p: PendingPrompt) => {
    const responses = await store.results.responses(p.promptId);
    const done = await store.judges.rankedOrders(judge.id, p.promptId);
    const wanted = displayOrders(responses, judge.bothOrders).map((shown, displayIndex) => ({ shown, displayIndex })).filter((o) => !done.has(o.displayIndex) && o.displayIndex < orders);
    const run: PromptRun = { promptId: p.promptId, externalId: p.externalId, outstanding: 1, interrupted: false, outcome: { promptId: p.promptId, needed: wanted.length, rankings: [], failures: [] } };
    const messages = JSON.parse(p.messages) as ChatMessage[];
    for (const o of wanted) {
      run.outstanding++;
      queue.push({
        prompt: run,
        displayIndex: o.displayIndex,
        shown: o.shown.map((r) => r.id),
        messages: judgeMessages(template, { guidelines: project.guidelines, criteria, messages, responses: o.shown.map((r) => r.text) }),
      });
    }
    settle(run); // the placeholder count of 1 keeps a prompt from finishing while its orders are still being queued
  };

  const execute = async (unit: Unit) => {
    const body: ChatRequestBody = { model: judge.model, messages: unit.messages };
    if (judge.temperature !== null) body.temperature = judge.temperature;
    let answer: string | null = null;
    let problem = '';
    try {
      for (let attempt = 0; attempt <= unreadableRetries; attempt++) {
        const res = await completeWithRetries(chat, endpoint, body, retry);
        answer = res.choices[0]?.text ?? '';
        const parsed = parseJudgeAnswer(answer, criteria, unit.shown.length);
        if (parsed.ok) {
          for (const c of criteria) {
            const tiers = parsed.rankings[c.key] ?? [];
            const ranking: JudgeOrderRanking = { displayIndex: unit.displayIndex, criterion: c.key, shownOrder: unit.shown, ranking: tiers.map((tier) => tier.map((i) => unit.shown[i] ?? -1)) };
            unit.prompt.outcome.rankings.push(ranking);
          }
          return settle(unit.prompt);
        }
        problem = parsed.message;
      }
      failOrder(unit, `the judge's answer could not be read as a ranking (${problem})`, answer);
    } catch (e) {
      if (e instanceof AbortedError) unit.prompt.interrupted = true;
      else if (e instanceof UpstreamError) failOrder(unit, e.retryable && limits.maxRetries > 0 ? `${e.message} (gave up after ${limits.maxRetries} retries)` : e.message, null);
      else failOrder(unit, `unexpected error: ${(e as Error).message}`, null);
    }
    settle(unit.prompt);
  };

  return {
    concurrency,
    async next() {
      for (;;) {
        if (ctx.stopped()) return null;
        const unit = queue.shift();
        if (unit) return () => execute(unit);
        const p = await nextPending();
        if (!p) return null;
        await expand(p);
      }
    },
    pending: () => outcomes.length,
    record(owner, at, errors, max) {
      const batch = outcomes.splice(0, max);
      return store.judges.recordOutcomes(job.id, judge.id, owner, at, batch, errors);
    },
    close: () => chat.close(),
  };
};
