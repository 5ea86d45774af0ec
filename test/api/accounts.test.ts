import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function login(username: string, password: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  await client.login(username, password);
  return client;
}

describe('admin account actions', () => {
  it('a password reset ends the old sessions; only the new password works', async () => {
    const { client, id } = await userClient(server, 'rita');
    const res = await server.admin.post(`/api/users/${id}/password`, { password: 'brand-new-pass' });
    expect(res.status).toBe(200);
    expect(res.body.endedSessions).toBe(1);
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await new ApiClient(server.url).post('/api/auth/login', { username: 'rita', password: 'rita-password' })).status).toBe(401);
    await login('rita', 'brand-new-pass');
    expect((await server.admin.post(`/api/users/${id}/password`, { password: 'short' })).status).toBe(400);
  });

  it('disabling ends sessions at once and refuses login; enabling lets the person back in', async () => {
    const { client, id } = await userClient(server, 'dora');
    const second = await login('dora', 'dora-password');
    const disabled = await server.admin.request('PATCH', `/api/users/${id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await second.get('/api/projects')).status).toBe(401);
    const refused = await new ApiClient(server.url).post('/api/auth/login', { username: 'dora', password: 'dora-password' });
    expect(refused.status).toBe(401);
    expect((await server.admin.request('PATCH', `/api/users/${id}`, { disabled: false })).status).toBe(200);
    await login('dora', 'dora-password');
  });

  it('changes roles, and never disables or demotes the last admin', async () => {
    const { id } = await userClient(server, 'leo');
    const promoted = await server.admin.request('PATCH', `/api/users/${id}`, { role: 'lead' });
    expect(promoted.body.user.role).toBe('lead');
    const me = await server.admin.get('/api/me');
    const adminId = me.body.user.id as number;
    expect((await server.admin.request('PATCH', `/api/users/${adminId}`, { disabled: true })).status).toBe(409);
    expect((await server.admin.request('PATCH', `/api/users/${adminId}`, { role: 'lead' })).status).toBe(409);
    expect((await server.admin.request('PATCH', `/api/users/${adminId}`, {})).status).toBe(400);
    const audit = await server.admin.get('/api/audit?action=user.role');
    expect(audit.body.entries[0]).toMatchObject({ action: 'user.role', target: 'leo', detail: { from: 'labeler', to: 'lead' } });
  });

  it('revokes all of one person\'s sessions', async () => {
    const { client, id } = await userClient(server, 'sam');
    const other = await login('sam', 'sam-password');
    const res = await server.admin.request('DELETE', `/api/users/${id}/sessions`);
    expect(res.body.endedSessions).toBe(2);
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await other.get('/api/me')).status).toBe(401);
  });
});

describe('invite links', () => {
  it('an admin invite makes an account once; the link then says it was used', async () => {
    const created = await server.admin.post('/api/invites', { role: 'labeler', expiresInHours: 2 });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(created.body.path).toBe(`/invite/${token}`);
    const anonymous = new ApiClient(server.url);
    const shown = await anonymous.get(`/api/invites/${token}`);
    expect(shown.status).toBe(200);
    expect(shown.body.invite.role).toBe('labeler');

    const accepted = await anonymous.post(`/api/invites/${token}/accept`, { username: 'ivy', password: 'ivy-password' });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ username: 'ivy', role: 'labeler' });
    // accepting logs the person in
    expect((await anonymous.get('/api/me')).body.user.username).toBe('ivy');

    const again = await new ApiClient(server.url).post(`/api/invites/${token}/accept`, { username: 'ivy2', password: 'ivy-password' });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('invite_used');
    expect((await new ApiClient(server.url).get(`/api/invites/${token}`)).body.error.code).toBe('invite_used');
  });

  it('an expired invite is refused with a clear error; an unknown one is 404; a taken name is 409 and keeps the invite', async () => {
    const created = await server.admin.post('/api/invites', {});
    const token = created.body.token as string;
    const taken = await new ApiClient(server.url).post(`/api/invites/${token}/accept`, { username: 'admin', password: 'whatever-long' });
    expect(taken.status).toBe(409);
    await server.store.engine.run('UPDATE invites SET expires_at = ? WHERE id = ?', Date.now() - 1, created.body.invite.id);
    const expired = await new ApiClient(server.url).post(`/api/invites/${token}/accept`, { username: 'late', password: 'late-password' });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('invite_expired');
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await new ApiClient(server.url).get('/api/invites/pi_nothing-like-this')).status).toBe(404);
  });

  it('a lead invites labelers into their project; labelers may not invite', async () => {
    const lead = await userClient(server, 'lena', 'lead');
    const project = await lead.client.post('/api/projects', { name: 'Invited', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    const projectId = project.body.project.id as number;
    const invite = await lead.client.post(`/api/projects/${projectId}/invites`, { expiresInHours: 1 });
    expect(invite.status).toBe(201);
    expect(invite.body.invite).toMatchObject({ role: 'labeler', projectId, projectName: 'Invited' });
    expect((await lead.client.post('/api/invites', { role: 'admin' })).status).toBe(403);

    const newcomer = new ApiClient(server.url);
    expect((await newcomer.post(`/api/invites/${invite.body.token}/accept`, { username: 'nico', password: 'nico-password' })).status).toBe(201);
    expect((await newcomer.get(`/api/projects/${projectId}`)).status).toBe(200);
    expect((await newcomer.post(`/api/projects/${projectId}/invites`, {})).status).toBe(403);
  });
});

describe('one\'s own account', () => {
  it('changing the password needs the current one and logs out the other sessions', async () => {
    const { client } = await userClient(server, 'pia');
    const other = await login('pia', 'pia-password');
    const wrong = await client.post('/api/account/password', { currentPassword: 'nope', newPassword: 'pia-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_password');
    const ok = await client.post('/api/account/password', { currentPassword: 'pia-password', newPassword: 'pia-new-password' });
    expect(ok.status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(200);
    expect((await other.get('/api/me')).status).toBe(401);
    await login('pia', 'pia-new-password');
  });

  it('lists one\'s sessions, marks the current one, and revokes another', async () => {
    const { client } = await userClient(server, 'tom');
    const laptop = await login('tom', 'tom-password');
    const list = await client.get('/api/account/sessions');
    expect(list.status).toBe(200);
    const sessions = list.body.sessions as { id: number; current: boolean }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const otherId = sessions.find((s) => !s.current)?.id;
    expect((await client.request('DELETE', `/api/account/sessions/${otherId}`)).status).toBe(200);
    expect((await laptop.get('/api/me')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(200);
    // someone else's session id is simply not found
    const mine = sessions.find((s) => s.current)?.id;
    const { client: stranger } = await userClient(server, 'ursula');
    expect((await stranger.request('DELETE', `/api/account/sessions/${mine}`)).status).toBe(404);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('creates an API token shown once, uses it, lists it without the secret, revokes it', async () => {
    const { client } = await userClient(server, 'ola');
    const created = await client.post('/api/tokens', { name: 'trainer script' });
    expect(created.status).toBe(201);
    const bearer = new ApiClient(server.url, created.body.token as string);
    expect((await bearer.get('/api/me')).body.user.username).toBe('ola');
    const list = await client.get('/api/tokens');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect(list.body.tokens[0]).toMatchObject({ name: 'trainer script', revokedAt: null });
    expect(list.body.tokens[0].lastUsedAt).not.toBeNull();
    const audit = await server.admin.get('/api/audit?action=token');
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['token.create', 'token.use']));
  });
});

describe('API tokens do not outlive a compromised account', () => {
  async function tokenOf(client: ApiClient, name = 'script'): Promise<{ bearer: ApiClient; id: number }> {
    const res = await client.post('/api/tokens', { name });
    expect(res.status).toBe(201);
    return { bearer: new ApiClient(server.url, res.body.token as string), id: res.body.apiToken.id as number };
  }

  it('an admin password reset revokes the user\'s tokens too', async () => {
    const { client, id } = await userClient(server, 'tess');
    const { bearer } = await tokenOf(client);
    expect((await bearer.get('/api/me')).status).toBe(200);
    const reset = await server.admin.post(`/api/users/${id}/password`, { password: 'tess-brand-new' });
    expect(reset.body).toMatchObject({ endedSessions: 1, revokedTokens: 1 });
    expect((await bearer.get('/api/me')).status).toBe(401);
  });

  it('ending all of someone\'s sessions signs them out everywhere, tokens included', async () => {
    const { client, id } = await userClient(server, 'uma');
    const { bearer } = await tokenOf(client);
    const ended = await server.admin.request('DELETE', `/api/users/${id}/sessions`);
    expect(ended.body).toMatchObject({ endedSessions: 1, revokedTokens: 1 });
    expect((await bearer.get('/api/projects')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('an admin lists another user\'s tokens and revokes one; the others keep working', async () => {
    const { client, id } = await userClient(server, 'vic');
    const first = await tokenOf(client, 'ci');
    const second = await tokenOf(client, 'notebook');
    const list = await server.admin.get(`/api/users/${id}/tokens`);
    expect(list.status).toBe(200);
    expect(list.body.tokens.map((t: { name: string }) => t.name).sort()).toEqual(['ci', 'notebook']);
    expect(JSON.stringify(list.body)).not.toContain('pt_');
    expect((await server.admin.request('DELETE', `/api/users/${id}/tokens/${first.id}`)).status).toBe(200);
    expect((await first.bearer.get('/api/me')).status).toBe(401);
    expect((await second.bearer.get('/api/me')).status).toBe(200);
    // another user's token id under this user is not found, and an already revoked one is gone
    expect((await server.admin.request('DELETE', `/api/users/${id}/tokens/${first.id}`)).status).toBe(404);
    const other = await userClient(server, 'wes');
    const theirs = await tokenOf(other.client);
    expect((await server.admin.request('DELETE', `/api/users/${id}/tokens/${theirs.id}`)).status).toBe(404);
    expect((await theirs.bearer.get('/api/me')).status).toBe(200);
    // a user cannot do this to someone else
    expect((await client.get(`/api/users/${other.id}/tokens`)).status).toBe(403);
    const audit = await server.admin.get('/api/audit?action=user.token.revoke');
    expect(audit.body.entries[0]).toMatchObject({ target: 'vic', detail: { tokenId: first.id } });
  });

  it('changing one\'s own password revokes one\'s tokens unless asked to keep them', async () => {
    const { client } = await userClient(server, 'xavi');
    const kept = await tokenOf(client);
    const keep = await client.post('/api/account/password', { currentPassword: 'xavi-password', newPassword: 'xavi-second-pass', revokeTokens: false });
    expect(keep.body).toMatchObject({ ok: true, revokedTokens: 0 });
    expect((await kept.bearer.get('/api/me')).status).toBe(200);
    const byDefault = await client.post('/api/account/password', { currentPassword: 'xavi-second-pass', newPassword: 'xavi-third-pass' });
    expect(byDefault.body).toMatchObject({ ok: true, revokedTokens: 1 });
    expect((await kept.bearer.get('/api/me')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(200);
  });
});

describe('the audit log', () => {
  it('records logins and account changes, newest first, and pages', async () => {
    const page = await server.admin.get('/api/audit?limit=3');
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(3);
    const ids = page.body.entries.map((e: { id: number }) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const next = await server.admin.get(`/api/audit?limit=3&before=${page.body.nextBefore}`);
    expect(next.body.entries[0].id).toBeLessThan(ids[2]);
    const all = await server.admin.get('/api/audit?limit=500');
    const actions = new Set(all.body.entries.map((e: { action: string }) => e.action));
    for (const a of ['login', 'user.create', 'user.password.reset', 'user.disable', 'user.enable', 'invite.create', 'invite.accept', 'password.change', 'session.revoke', 'user.sessions.revoke']) {
      expect(actions.has(a), a).toBe(true);
    }
  });
});
