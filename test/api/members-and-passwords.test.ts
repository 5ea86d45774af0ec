import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('who a lead may add to and remove from a project', () => {
  let lead: Awaited<ReturnType<typeof userClient>>;
  let coLead: Awaited<ReturnType<typeof userClient>>;
  let labeler: Awaited<ReturnType<typeof userClient>>;
  let projectId: number;
  beforeAll(async () => {
    lead = await userClient(server, 'lead-m', 'lead');
    coLead = await userClient(server, 'lead-n', 'lead');
    labeler = await userClient(server, 'labeler-m', 'labeler');
    await userClient(server, 'labeler-n', 'labeler');
    const p = await lead.client.post('/api/projects', { name: 'Members', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    projectId = p.body.project.id as number;
    await lead.client.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'm1', prompt: 'Hi?', responses: ['a', 'b'] }]));
  });

  it('a lead sees only labelers as candidates; an admin sees every account', async () => {
    const forLead = await lead.client.get(`/api/projects/${projectId}/member-candidates`);
    expect(forLead.status).toBe(200);
    const names = forLead.body.candidates.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['labeler-m', 'labeler-n']));
    expect(forLead.body.candidates.every((u: { role: string }) => u.role === 'labeler')).toBe(true);
    const forAdmin = await server.admin.get(`/api/projects/${projectId}/member-candidates`);
    expect(forAdmin.body.candidates.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'lead-n', 'labeler-m']));
    // the lead itself is a member already
    expect(forAdmin.body.candidates.map((u: { username: string }) => u.username)).not.toContain('lead-m');
  });

  it('a lead adds labelers but not leads or admins; an admin adds anyone', async () => {
    expect((await lead.client.post(`/api/projects/${projectId}/members`, { userId: labeler.id })).status).toBe(201);
    const asLead = await lead.client.post(`/api/projects/${projectId}/members`, { userId: coLead.id });
    expect(asLead.status).toBe(403);
    const adminId = (await server.admin.get('/api/me')).body.user.id as number;
    expect((await lead.client.post(`/api/projects/${projectId}/members`, { userId: adminId })).status).toBe(403);
    expect((await coLead.client.get(`/api/projects/${projectId}`)).status).toBe(404);
    expect((await server.admin.post(`/api/projects/${projectId}/members`, { userId: coLead.id })).status).toBe(201);
    expect((await coLead.client.get(`/api/projects/${projectId}`)).status).toBe(200);
  });

  it('a lead removes a labeler, whose open task goes back to the pool; removing is audited; a co-lead is an admin\'s to remove', async () => {
    expect((await labeler.client.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(200);
    const removed = await lead.client.request('DELETE', `/api/projects/${projectId}/members/${labeler.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.removed).toBe(true);
    expect((await labeler.client.get(`/api/projects/${projectId}`)).status).toBe(404);
    expect((await labeler.client.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(404);
    // the place is free again: another labeler gets the prompt
    const other = await userClient(server, 'labeler-o', 'labeler');
    await lead.client.post(`/api/projects/${projectId}/members`, { userId: other.id });
    expect((await other.client.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(200);
    const again = await lead.client.request('DELETE', `/api/projects/${projectId}/members/${labeler.id}`);
    expect(again.body.removed).toBe(false);
    expect((await lead.client.request('DELETE', `/api/projects/${projectId}/members/${coLead.id}`)).status).toBe(403);
    expect((await labeler.client.request('DELETE', `/api/projects/${projectId}/members/${other.id}`)).status).toBe(404);
    const audit = await server.admin.get('/api/audit?action=project.member.remove');
    expect(audit.body.entries[0]).toMatchObject({ target: String(projectId), detail: { userId: labeler.id } });
    expect((await server.admin.request('DELETE', `/api/projects/${projectId}/members/${coLead.id}`)).body.removed).toBe(true);
  });
});

describe('passwords', () => {
  it('refuses the most common passwords and the username itself wherever a password is set', async () => {
    const common = await server.admin.post('/api/users', { username: 'carl', password: 'Password123', role: 'labeler' });
    expect(common.status).toBe(400);
    expect(common.body.error.code).toBe('weak_password');
    expect(common.body.error.issues[0].path).toEqual(['password']);
    const same = await server.admin.post('/api/users', { username: 'carlsberg', password: 'CarlsBerg', role: 'labeler' });
    expect(same.status).toBe(400);
    expect(same.body.error.message).toMatch(/username/);

    const { client, id } = await userClient(server, 'dana', 'labeler', 'dana-first-secret');
    expect((await server.admin.post(`/api/users/${id}/password`, { password: 'qwertyuiop' })).body.error.code).toBe('weak_password');
    expect((await server.admin.post(`/api/users/${id}/password`, { password: 'dana' + 'dana' })).status).toBe(200);
    await client.login('dana', 'danadana');
    const own = await client.post('/api/account/password', { currentPassword: 'danadana', newPassword: 'iloveyou' });
    expect(own.status).toBe(400);
    expect(own.body.error.issues[0].path).toEqual(['newPassword']);

    const invite = await server.admin.post('/api/invites', {});
    const accept = await new ApiClient(server.url).post(`/api/invites/${invite.body.token}/accept`, { username: 'erin', password: 'sunshine' });
    expect(accept.body.error.code).toBe('weak_password');
    expect((await new ApiClient(server.url).post(`/api/invites/${invite.body.token}/accept`, { username: 'erin', password: 'erin-own-phrase' })).status).toBe(201);
  });
});
