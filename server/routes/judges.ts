import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { projectAccess } from '../auth/middleware.ts';
import { createJudgeSchema, startJudgeRunSchema, type Judge } from '../../shared/judges.ts';
import type { StoredJudge } from '../store/judges.ts';
import { keysAfterEdit, keyEnvProblem } from '../sampling/endpoint-key.ts';
import { defaultConcurrency, runGenerationJob } from '../sampling/job-runner.ts';
import { leaseOwner } from '../sampling/job-lease.ts';
import { defaultJudgeTemplate } from '../judges/judge-prompt.ts';
import { judgeEndpointKeys, noJudgeEndpoint } from '../judges/judge-endpoint.ts';

const maxFailuresShown = 200;

function judgeView(j: StoredJudge): Judge {
  return {
    id: j.id,
    projectId: j.projectId,
    name: j.name,
    model: j.model,
    endpoint: { baseUrl: j.baseUrl, hasApiKey: j.apiKey !== null, apiKeyEnv: j.apiKeyEnv },
    temperature: j.temperature,
    bothOrders: j.bothOrders,
    template: j.template ?? defaultJudgeTemplate,
    customTemplate: j.template !== null,
    createdAt: j.createdAt,
    judgedPrompts: j.judgedPrompts,
    failures: j.failures,
    latestJobId: j.latestJobId,
  };
}

// Who may call these is in server/auth/access-policy.ts (project-lead); runs are then watched at /api/generation-jobs/:id.
export const judgeRoutes = new Hono<AppEnv>()
  .get('/projects/:id/judges', projectAccess('lead'), async (c) => {
    const judges = await c.var.store.judges.list(c.var.project.id);
    return c.json({ judges: judges.map(judgeView) }, 200);
  })
  .post('/projects/:id/judges', projectAccess('lead'), validate('json', createJudgeSchema), async (c) => {
    const { store, project, user } = c.var;
    const input = c.req.valid('json');
    const sampling = await store.sampling.settings(project.id);
    let keys = null;
    if (input.endpoint) {
      // The sampling rules, with the sampling settings as "before": on sampling's own URL its key may be reused; on any
      // other URL only a key sent with it goes there, and only an admin names a variable.
      const decision = keysAfterEdit(sampling ? { baseUrl: sampling.baseUrl, apiKey: sampling.apiKey, apiKeyEnv: sampling.apiKeyEnv } : null, input.endpoint, user.role === 'admin');
      if (!decision.ok) return apiError(c, 403, 'admin_only', decision.message);
      keys = decision.keys;
    } else if (!sampling) return apiError(c, 400, 'no_endpoint', noJudgeEndpoint);
    const judge = await store.judges.create(project.id, { name: input.name, model: input.model, keys, temperature: input.temperature ?? null, bothOrders: input.bothOrders, template: input.template ?? null }, user.id);
    if (!judge) return apiError(c, 409, 'judge_exists', `the project already has a judge named "${input.name}"`);
    // the audit names where the judge's requests go, never the key
    await store.audit.record(user.id, 'judge.create', String(project.id), { judgeId: judge.id, name: judge.name, model: judge.model, baseUrl: judge.baseUrl ?? '(sampling endpoint)', apiKey: judge.apiKey ? 'set' : 'none', apiKeyEnv: judge.apiKeyEnv });
    return c.json({ judge: judgeView(judge) }, 201);
  })
  .post('/projects/:id/judges/:judgeId/runs', projectAccess('lead'), validate('json', startJudgeRunSchema), async (c) => {
    const { store, project, user } = c.var;
    const judge = await store.judges.byId(Number(c.req.param('judgeId')));
    if (!judge || judge.projectId !== project.id) return apiError(c, 404, 'not_found', `judge ${c.req.param('judgeId')} does not exist in this project`);
    const keys = judgeEndpointKeys(judge, await store.sampling.settings(project.id));
    if (!keys) return apiError(c, 400, 'no_endpoint', noJudgeEndpoint);
    const keyProblem = keyEnvProblem(keys);
    if (keyProblem) return apiError(c, 400, 'missing_api_key', keyProblem);
    const { concurrency = defaultConcurrency } = c.req.valid('json');
    const { job, created } = await store.judges.createRun(judge, concurrency, user.id, { owner: leaseOwner, at: Date.now() });
    if (!created) return apiError(c, 409, 'job_active', `job ${job.id} is already running this judge; cancel it or wait for it`);
    await store.audit.record(user.id, 'judge.run.start', String(project.id), { judgeId: judge.id, jobId: job.id, total: job.total, concurrency });
    runGenerationJob(store, job.id, { log: console.error }).catch((e: unknown) => console.error(`judge job ${job.id} could not start: ${String(e)}`));
    return c.json({ job }, 201);
  })
  .get('/projects/:id/judges/:judgeId/failures', projectAccess('lead'), async (c) => {
    const { store, project } = c.var;
    const judge = await store.judges.byId(Number(c.req.param('judgeId')));
    if (!judge || judge.projectId !== project.id) return apiError(c, 404, 'not_found', `judge ${c.req.param('judgeId')} does not exist in this project`);
    return c.json({ failures: await store.judges.failures(judge.id, maxFailuresShown) }, 200);
  });
