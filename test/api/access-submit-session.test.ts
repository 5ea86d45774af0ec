import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

// The access table's walk (access.test.ts) calls with API tokens; a browser submits with its session cookie, which
// the check reads together with the assignment (docs/decisions/039). Same answers, same order: 401, 404, 403, 400.
describe('submit and skip with a session cookie', () => {
  let server: TestServer;
  let projectId: number;
  let owner: Awaited<ReturnType<typeof userClient>>;
  let assignment: number;

  beforeAll(async () => {
    server = await startTestServer();
    const lead = await userClient(server, 'lead', 'lead');
    owner = await userClient(server, 'owner', 'labeler');
    const p = await lead.client.post('/api/projects', { name: 'P', responsesPerPrompt: 2, labelersPerPrompt: 2 });
    projectId = p.body.project.id as number;
    expect((await lead.client.post(`/api/projects/${projectId}/members`, { userId: owner.id })).status).toBe(201);
    expect((await lead.client.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'q1', prompt: 'Q?', responses: ['a', 'b'] }]))).status).toBe(200);
    const task = await owner.client.post(`/api/projects/${projectId}/tasks/next`);
    expect(task.status).toBe(200);
    assignment = task.body.assignment.id as number;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const submit = async (client: ApiClient, id: number | string = assignment, action = 'submit') => (await client.post(`/api/assignments/${id}/${action}`, {})).status;

  it('answers each caller as the table says, before the body is looked at', async () => {
    const lead = new ApiClient(server.url);
    expect((await lead.post('/api/auth/login', { username: 'lead', password: 'lead-password' })).status).toBe(200);
    const colleague = await userClient(server, 'colleague', 'labeler');
    await server.admin.post(`/api/projects/${projectId}/members`, { userId: colleague.id });
    const outsider = await userClient(server, 'outsider', 'labeler');

    expect(await submit(new ApiClient(server.url))).toBe(401);
    expect(await submit(new ApiClient(server.url), 999999)).toBe(401);
    expect(await submit(owner.client, 999999)).toBe(404);
    expect(await submit(owner.client, 'x')).toBe(404);
    expect(await submit(outsider.client)).toBe(404);
    expect(await submit(colleague.client)).toBe(403);
    expect(await submit(lead)).toBe(403);
    expect(await submit(owner.client)).toBe(400);
    expect(await submit(owner.client, assignment, 'skip')).toBe(400);
    expect(await submit(server.admin)).toBe(400);
  });

  it('an expired session or a disabled account is refused on the next submit', async () => {
    const late = await userClient(server, 'late', 'labeler');
    await server.admin.post(`/api/projects/${projectId}/members`, { userId: late.id });
    const task = await late.client.post(`/api/projects/${projectId}/tasks/next`);
    expect(task.status).toBe(200);
    const id = task.body.assignment.id as number;
    expect(await submit(late.client, id)).toBe(400);
    await server.store.engine.run('UPDATE sessions SET expires_at = ? WHERE user_id = ?', Date.now() - 1, late.id);
    expect(await submit(late.client, id)).toBe(401);

    expect(await submit(owner.client)).toBe(400);
    expect((await server.admin.request('PATCH', `/api/users/${owner.id}`, { disabled: true })).status).toBe(200);
    expect(await submit(owner.client)).toBe(401);
    expect(await submit(owner.client, 999999)).toBe(401);
  });
});
