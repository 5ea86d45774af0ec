import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const podium = (args: string[]) => runCli(['users', ...args], server.dbEnv);

describe('podium users, the shell route to accounts', () => {
  it('refuses a common password and the username itself, as the admin page does', async () => {
    const common = await podium(['create', 'dora', '--role', 'labeler', '--password', 'password123']);
    expect(common.status).toBe(2);
    expect(common.stderr).toContain('most common');
    const own = await podium(['create', 'dora-lab', '--role', 'labeler', '--password', 'dora-lab']);
    expect(own.status).toBe(2);
    expect(own.stderr).toContain('may not be the username');
    expect((await server.admin.get('/api/users')).body.users.map((u: { username: string }) => u.username)).not.toContain('dora');
  });

  it('a reset from the shell ends the sessions and the API tokens of a compromised account', async () => {
    const { client } = await userClient(server, 'eve-lab');
    const token = (await client.post('/api/tokens', { name: 'script' })).body.token as string;
    const script = new ApiClient(server.url, token);
    expect((await script.get('/api/me')).status).toBe(200);

    const reset = await podium(['reset-password', 'eve-lab', '--password', 'a fresh long passphrase']);
    expect(reset.status, reset.stderr).toBe(0);
    expect((await script.get('/api/me')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(401);
  });
});
