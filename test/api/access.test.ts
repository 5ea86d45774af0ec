import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../server/app.ts';
import { accessPolicy, callers, expectedOutcome, policyFor, type Caller } from '../../server/auth/access-policy.ts';
import { accessDoc } from '../../server/auth/access-doc.ts';
import { repoRoot } from '../../server/paths.ts';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

/** Every endpoint the app registers (middleware entries are method ALL), as `METHOD /api/path`. */
function appRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of createApi().routes) {
    if (r.method === 'ALL') continue;
    const path = `/api${r.path}`;
    seen.set(`${r.method} ${path}`, { method: r.method, path });
  }
  return [...seen.values()];
}

describe('the access table', () => {
  it('has an entry for every route the app registers (a new route without one fails here)', () => {
    const missing = appRoutes()
      .filter((r) => !policyFor(r.method, r.path))
      .map((r) => `${r.method} ${r.path}`);
    expect(missing, 'add these to server/auth/access-policy.ts').toEqual([]);
  });

  it('docs/access.md is generated from the table and lists every route', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'access.md'), 'utf8');
    expect(doc, 'run: npx tsx server/auth/write-access-doc.ts').toBe(accessDoc());
    for (const r of appRoutes()) expect(doc).toContain(`\`${r.method} ${r.path}\``);
  });
});

describe('every route × every kind of caller', () => {
  let server: TestServer;
  const clients = {} as Record<Caller, ApiClient>;
  const params: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const lead = await userClient(server, 'lead-p', 'lead');
    const otherLead = await userClient(server, 'lead-q', 'lead');
    const labeler = await userClient(server, 'member', 'labeler');
    const outsider = await userClient(server, 'outsider', 'labeler');
    const bystander = await userClient(server, 'bystander', 'labeler');

    const p = await lead.client.post('/api/projects', { name: 'P', responsesPerPrompt: 2, labelersPerPrompt: 5 });
    expect(p.status).toBe(201);
    const projectId = p.body.project.id as number;
    expect((await otherLead.client.post('/api/projects', { name: 'Q', responsesPerPrompt: 2, labelersPerPrompt: 1 })).status).toBe(201);
    expect((await lead.client.post(`/api/projects/${projectId}/members`, { userId: labeler.id })).status).toBe(201);
    const lines = [1, 2, 3].map((i) => ({ id: `q${i}`, prompt: `Q${i}?`, responses: [`a${i}`, `b${i}`] }));
    expect((await lead.client.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
    const task = await labeler.client.post(`/api/projects/${projectId}/tasks/next`);
    expect(task.status).toBe(200);
    // A finished job row stands in for sampling, so the job routes have something to guard.
    const job = (await server.store.engine.get<{ id: number }>("INSERT INTO generation_jobs (project_id, status, concurrency) VALUES (?, 'done', 1) RETURNING id", projectId))!;
    // A webhook for the webhook routes; the app registers its DELETE after the routes that read it.
    const webhook = await lead.client.post(`/api/projects/${projectId}/webhooks`, { url: 'http://127.0.0.1:9/access-test', events: ['job.finished'], secret: 'access-test-secret-0123' });
    expect(webhook.status).toBe(201);

    // A judge on a port nothing listens on: a run the access check lets through fails at once, touching nothing.
    const judge = (await server.store.engine.get<{ id: number }>("INSERT INTO judges (project_id, name, model, base_url) VALUES (?, 'access', 'm', 'http://127.0.0.1:9/v1') RETURNING id", projectId))!;

    Object.assign(params, {
      project: String(projectId),
      judgeId: String(judge.id),
      assignment: String(task.body.assignment.id),
      promptId: String(task.body.assignment.prompt.id),
      job: String(job.id),
      user: String(bystander.id),
      userId: String(bystander.id),
      webhookId: String(webhook.body.webhook.id),
    });

    // Callers use API tokens, so routes like logout or revoke-sessions cannot end the callers' own sessions.
    const withToken = async (client: ApiClient): Promise<ApiClient> => {
      const res = await client.post('/api/tokens', { name: 'access-test' });
      expect(res.status).toBe(201);
      return new ApiClient(server.url, res.body.token as string);
    };
    clients.anonymous = new ApiClient(server.url);
    clients.labeler = await withToken(labeler.client);
    clients.outsider = await withToken(outsider.client);
    clients['other-lead'] = await withToken(otherLead.client);
    clients.lead = await withToken(lead.client);
    clients.admin = await withToken(server.admin);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Fills a route pattern's params with the fixtures above: `:id` means the resource the path is about. */
  function concretePath(path: string): string {
    return path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_m, name: string) => {
      if (name === 'token') return 'pi_not-a-real-invite-token';
      if (name !== 'id') return params[name] ?? '999999';
      if (path.startsWith('/api/projects/')) return params.project ?? '';
      if (path.startsWith('/api/assignments/')) return params.assignment ?? '';
      if (path.startsWith('/api/generation-jobs/')) return params.job ?? '';
      if (path.startsWith('/api/users/')) return params.user ?? '';
      return '999999';
    });
  }

  async function call(client: ApiClient, method: string, path: string): Promise<{ status: number; code: string | undefined }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (client.bearer) headers.authorization = `Bearer ${client.bearer}`;
    const controller = new AbortController();
    const res = await fetch(server.url + path, { method, headers, body: method === 'GET' ? undefined : '{}', signal: controller.signal });
    // Streams (export, job events) are judged by their status alone.
    const type = res.headers.get('content-type') ?? '';
    let code: string | undefined;
    if (type.includes('application/json')) code = ((await res.json()) as { error?: { code?: string } }).error?.code;
    else controller.abort();
    return { status: res.status, code };
  }

  const routes = appRoutes();
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const policy = policyFor(route.method, route.path);
    expect(policy, 'no policy').toBeDefined();
    if (!policy) return;
    const path = concretePath(route.path);
    const projectScoped = ['project-member', 'project-lead', 'assignment-owner', 'job-lead'].includes(policy.access);
    const seen: string[] = [];
    const wrong: string[] = [];
    for (const caller of Object.keys(callers) as Caller[]) {
      const expected = expectedOutcome(policy.access, caller);
      const { status, code } = await call(clients[caller], route.method, path);
      seen.push(`${caller}:${status}`);
      const ok =
        expected === 'allow'
          ? status < 500 && status !== 401 && status !== 403 && !(projectScoped && status === 404) && code !== 'no_access_policy'
          : status === expected;
      if (!ok) wrong.push(`${caller} expected ${expected} got ${status} ${code ?? ''}`);
    }
    expect(wrong, seen.join(' ')).toEqual([]);
  });

  it('a revoked token and a disabled account stop working at once', async () => {
    const { client, id } = await userClient(server, 'short-lived', 'labeler');
    const token = (await client.post('/api/tokens', { name: 't' })).body as { token: string; apiToken: { id: number } };
    const viaToken = new ApiClient(server.url, token.token);
    expect((await viaToken.get('/api/me')).status).toBe(200);
    expect((await client.request('DELETE', `/api/tokens/${token.apiToken.id}`)).status).toBe(200);
    expect((await viaToken.get('/api/me')).status).toBe(401);

    const second = new ApiClient(server.url, (await client.post('/api/tokens', { name: 't2' })).body.token as string);
    expect((await second.get('/api/me')).status).toBe(200);
    expect((await server.admin.request('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await second.get('/api/me')).status).toBe(401);
  });

  it('the table only names real levels', () => {
    for (const [route, policy] of Object.entries(accessPolicy)) expect(route).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/api\//), expect(policy.access).toBeTruthy();
  });
});
