import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/session: who is signed in, with nobody as a normal answer', () => {
  it('answers 200 { user: null } without a session, the account with one, and null again after logging out', async () => {
    const anonymous = new ApiClient(server.url);
    const before = await anonymous.get('/api/session');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ user: null });

    const { client } = await userClient(server, 'sia');
    const signedIn = await client.get('/api/session');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ username: 'sia', role: 'labeler' });
    expect(signedIn.body.user.passwordHash).toBeUndefined();
    expect((await client.get('/api/me')).body).toEqual(signedIn.body);

    expect((await client.post('/api/auth/logout')).status).toBe(200);
    expect((await client.get('/api/session')).body).toEqual({ user: null });
    // Scripts keep the error: /me still says the credential is not good.
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await new ApiClient(server.url, 'not-a-token').get('/api/session')).body).toEqual({ user: null });
  });
});
