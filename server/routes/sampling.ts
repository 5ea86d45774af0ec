import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { projectAccess } from '../auth/middleware.ts';
import {
  policyLabel,
  samplingSettingsInputSchema,
  startJobSchema,
  type ConnectionTestResult,
  type GenerationJob,
  type SamplingPolicy,
  type SamplingSettingsView,
} from '../../shared/sampling.ts';
import { isFinished } from '../../shared/job-progress.ts';
import type { SamplingSettings } from '../store/sampling.ts';
import { defaultConcurrency, runGenerationJob } from '../sampling/job-runner.ts';
import { messagesFor, requestBody } from '../sampling/chat-request.ts';
import { cancelGenerationJob } from '../sampling/job-takeover.ts';
import { keyEnvAllowed, keyEnvProblem, resolveApiKey } from '../sampling/endpoint-key.ts';
import { leaseOwner } from '../sampling/job-lease.ts';
import { subscribeJob } from '../sampling/job-events.ts';
import { repeatOneAtATime } from '../timers/repeat.ts';
import { completeWithRetries, createChatClient, redact, UpstreamError } from '../sampling/openai-client.ts';

function settingsView(s: SamplingSettings): SamplingSettingsView {
  return {
    // only a variable the server would read is looked up, so the answer says nothing about any other one
    endpoint: { baseUrl: s.baseUrl, hasApiKey: s.apiKey !== null, apiKeyEnv: s.apiKeyEnv, apiKeyEnvSet: s.apiKeyEnv !== null && keyEnvAllowed(s.apiKeyEnv) && Boolean(process.env[s.apiKeyEnv]) },
    systemPrompt: s.systemPrompt,
    policies: s.policies,
    requestTimeoutMs: s.requestTimeoutMs,
    maxRetries: s.maxRetries,
    updatedAt: s.updatedAt,
  };
}

/** What zod cannot see: the counts must make K, and each policy needs its own label for provenance. */
function policyIssues(policies: SamplingPolicy[], k: number): { code: 'custom'; path: (string | number)[]; message: string }[] {
  const issues: { code: 'custom'; path: (string | number)[]; message: string }[] = [];
  const sum = policies.reduce((a, p) => a + p.count, 0);
  if (sum !== k) issues.push({ code: 'custom', path: ['policies'], message: `the policies' counts add up to ${sum}; this project ranks K = ${k} responses per prompt` });
  const seen = new Map<string, number>();
  policies.forEach((p, i) => {
    const label = policyLabel(p);
    const earlier = seen.get(label);
    if (earlier !== undefined) issues.push({ code: 'custom', path: ['policies', i], message: `policy ${i + 1} is the same as policy ${earlier + 1} ("${label}"); merge them or give one a name` });
    seen.set(label, i);
  });
  return issues;
}

/** The job of `:id`, which the access table has already shown the caller leads (admins lead everything). */
async function jobForLead(c: Context<AppEnv>): Promise<GenerationJob | null> {
  const id = Number(c.req.param('id'));
  const job = Number.isInteger(id) && id > 0 ? await c.var.store.sampling.job(id) : null;
  if (!job) return null;
  const user = c.var.user;
  if (user.role === 'admin') return job;
  const role = await c.var.store.projects.memberRole(job.projectId, user.id);
  return role === 'lead' && user.role === 'lead' ? job : null;
}

const pollMs = 1_000;
const heartbeatMs = 15_000;

// Who may call these is in server/auth/access-policy.ts (project-lead, job-lead); the checks here repeat it cheaply.
export const samplingRoutes = new Hono<AppEnv>()
  .get('/projects/:id/sampling', projectAccess('lead'), async (c) => {
    const s = await c.var.store.sampling.settings(c.var.project.id);
    return c.json({ settings: s ? settingsView(s) : null }, 200);
  })
  .put('/projects/:id/sampling', projectAccess('lead'), validate('json', samplingSettingsInputSchema), async (c) => {
    const { store, project, user } = c.var;
    const input = c.req.valid('json');
    const issues = policyIssues(input.policies, project.responsesPerPrompt);
    if (issues.length) return apiError(c, 400, 'invalid_input', issues[0]?.message ?? 'invalid policies', issues);
    const saved = await store.sampling.saveSettings(project.id, input, { mayNameKeyEnv: user.role === 'admin' });
    if (!saved.ok) return apiError(c, 403, 'admin_only', saved.message);
    const { keys, dropped } = saved;
    // the audit names what changed, never the key itself
    await store.audit.record(user.id, 'sampling.settings', String(project.id), {
      baseUrl: input.endpoint.baseUrl,
      policies: input.policies.map(policyLabel),
      apiKey: dropped.apiKey ? 'dropped (new base URL)' : input.endpoint.apiKey === undefined ? (keys.apiKey ? 'kept' : 'none') : input.endpoint.apiKey === null ? 'removed' : 'set',
      apiKeyEnv: dropped.apiKeyEnv ? 'dropped (new base URL)' : keys.apiKeyEnv,
    });
    const after = await store.sampling.settings(project.id);
    if (!after) return apiError(c, 500, 'internal', 'the settings were not stored');
    return c.json({ settings: settingsView(after), dropped }, 200);
  })
  .post('/projects/:id/sampling/test', projectAccess('lead'), async (c) => {
    const s = await c.var.store.sampling.settings(c.var.project.id);
    if (!s) return apiError(c, 400, 'no_sampling_settings', 'save the sampling settings first');
    const policy = s.policies[0];
    if (!policy) return apiError(c, 400, 'no_sampling_settings', 'the settings have no policy');
    const keyProblem = keyEnvProblem(s);
    if (keyProblem) return c.json({ result: { ok: false, status: null, message: keyProblem } satisfies ConnectionTestResult }, 200);
    const apiKey = resolveApiKey(s);
    const client = createChatClient(1);
    let result: ConnectionTestResult;
    try {
      const body = requestBody({ ...policy, max_tokens: Math.min(policy.max_tokens ?? 16, 16) }, messagesFor(s.systemPrompt, [{ role: 'user', content: 'Reply with one word: ready.' }]), 1, policy.seed ?? null);
      const res = await completeWithRetries(client, { baseUrl: s.baseUrl, apiKey }, body, { timeoutMs: Math.min(s.requestTimeoutMs, 30_000), maxRetries: 0 });
      const first = res.choices[0];
      result = { ok: true, model: res.model ?? policy.model, text: first?.text ?? '', latencyMs: res.latencyMs, finishReason: first?.finishReason ?? null, choices: res.choices.length };
    } catch (e) {
      result = { ok: false, status: e instanceof UpstreamError ? e.status : null, message: redact((e as Error).message, apiKey) };
    } finally {
      client.close();
    }
    return c.json({ result }, 200);
  })
  .get('/projects/:id/generation-jobs/latest', projectAccess('lead'), async (c) => c.json({ job: await c.var.store.sampling.latestJob(c.var.project.id) }, 200))
  .post('/projects/:id/generation-jobs', projectAccess('lead'), validate('json', startJobSchema), async (c) => {
    const { store, project, user } = c.var;
    const s = await store.sampling.settings(project.id);
    if (!s) return apiError(c, 400, 'no_sampling_settings', 'save the sampling settings first');
    const issues = policyIssues(s.policies, project.responsesPerPrompt);
    if (issues.length) return apiError(c, 400, 'invalid_sampling_settings', issues[0]?.message ?? 'invalid policies', issues);
    const keyProblem = keyEnvProblem(s);
    if (keyProblem) return apiError(c, 400, 'missing_api_key', keyProblem);
    const { concurrency = defaultConcurrency } = c.req.valid('json');
    const { job, created } = await store.sampling.createJob(project.id, project.responsesPerPrompt, concurrency, user.id, { owner: leaseOwner, at: Date.now() });
    if (!created) return apiError(c, 409, 'job_active', `job ${job.id} is already sampling this project; cancel it or wait for it`);
    await store.audit.record(user.id, 'sampling.job.start', String(project.id), { jobId: job.id, total: job.total, concurrency });
    runGenerationJob(store, job.id, { log: console.error }).catch((e: unknown) => console.error(`generation job ${job.id} could not start: ${String(e)}`));
    return c.json({ job }, 201);
  })
  .get('/generation-jobs/:id', async (c) => {
    const job = await jobForLead(c);
    if (!job) return apiError(c, 404, 'not_found', `generation job ${c.req.param('id')} does not exist`);
    return c.json({ job }, 200);
  })
  .post('/generation-jobs/:id/cancel', async (c) => {
    const job = await jobForLead(c);
    if (!job) return apiError(c, 404, 'not_found', `generation job ${c.req.param('id')} does not exist`);
    const after = isFinished(job.status) ? job : await cancelGenerationJob(c.var.store, job.id);
    if (!isFinished(job.status)) await c.var.store.audit.record(c.var.user.id, 'sampling.job.cancel', String(job.projectId), { jobId: job.id });
    return c.json({ job: after ?? job }, 200);
  })
  .get('/generation-jobs/:id/events', async (c) => {
    const job = await jobForLead(c);
    if (!job) return apiError(c, 404, 'not_found', `generation job ${c.req.param('id')} does not exist`);
    const { store } = c.var;
    return streamSSE(c, async (stream) => {
      let latest: GenerationJob = job;
      let wake: (() => void) | null = null;
      let dirty = false;
      const update = (j: GenerationJob) => {
        latest = j;
        dirty = true;
        wake?.();
      };
      // Updates from a run in this process arrive at once; the poll covers a run in another process (the CLI).
      const unsubscribe = subscribeJob(store.engine, job.id, update);
      // The poll also covers a run on another server sharing the database.
      const poll = repeatOneAtATime(async () => {
        const j = await store.sampling.job(job.id);
        if (j) update(j);
      }, pollMs);
      const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), heartbeatMs);
      stream.onAbort(() => wake?.());
      let sent = '';
      let seq = 0;
      try {
        while (!stream.aborted) {
          const data = JSON.stringify({ job: latest });
          if (data !== sent) {
            sent = data;
            await stream.writeSSE({ event: 'progress', data, id: String(++seq) });
          }
          if (isFinished(latest.status)) {
            // `latest`, not `data`: the job may have ended while the progress line above was being written
            await stream.writeSSE({ event: 'end', data: JSON.stringify({ job: latest }), id: String(++seq) });
            break;
          }
          if (!dirty) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          wake = null;
          dirty = false;
        }
      } finally {
        unsubscribe();
        void poll.stop();
        clearInterval(heartbeat);
      }
    });
  });
