import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openStore } from '../../server/store/store.ts';
import { adminPassword, ApiClient, startTestServer, type TestServer } from '../support/test-server.ts';

type Attempt = { status: number; retryAfter: number; code: string | undefined };

/** A login from `address`, which the server believes only because it runs with PODIUM_TRUST_PROXY. */
async function login(server: TestServer, username: string, password: string, address?: string): Promise<Attempt> {
  const res = await new ApiClient(server.url).post('/api/auth/login', { username, password }, address ? { 'x-forwarded-for': address } : {});
  return { status: res.status, retryAfter: Number(res.headers.get('retry-after') ?? 0), code: res.body?.error?.code };
}

/** Lets the running block of every counter end, as waiting would, without a test that sleeps. */
async function endBlocks(server: TestServer): Promise<void> {
  await server.store.engine.run('UPDATE login_throttle SET blocked_until = 0');
}

describe('login throttling behind a trusted proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: true });
    await server.admin.post('/api/users', { username: 'victim', password: 'victim-secret-1', role: 'labeler' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('20 failures from one address over 20 usernames do not lock the admin out from a fresh address', async () => {
    for (let i = 0; i < 20; i++) expect((await login(server, `nobody${i}`, 'guess-guess', '203.0.113.7')).status).toBe(401);
    expect((await login(server, 'admin', adminPassword, '198.51.100.20')).status).toBe(200);
  });

  it('failures at a named account slow that address down, and the owner logs in from another address at once', async () => {
    const attacker = '203.0.113.50';
    for (let i = 0; i < 4; i++) expect((await login(server, 'victim', `wrong-${i}`, attacker)).status).toBe(401);
    const blocked = await login(server, 'victim', 'victim-secret-1', attacker);
    expect(blocked.status).toBe(429);
    expect(blocked.code).toBe('too_many_attempts');
    expect(blocked.retryAfter).toBeGreaterThan(0);
    expect((await login(server, 'victim', 'victim-secret-1', '198.51.100.21')).status).toBe(200);
    // the guesser stays slowed down: the owner's success elsewhere clears nothing for the attacker's address
    expect((await login(server, 'victim', 'wrong-again', attacker)).status).toBe(429);
  });

  it('each further failure of a pair doubles the wait (exponential backoff)', async () => {
    await server.admin.post('/api/users', { username: 'slowed', password: 'slowed-secret-1', role: 'labeler' });
    const address = '203.0.113.60';
    for (let i = 0; i < 3; i++) expect((await login(server, 'slowed', `wrong-${i}`, address)).status).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      expect((await login(server, 'slowed', `wrong-round-${round}`, address)).status).toBe(401);
      waits.push((await login(server, 'slowed', 'another-guess', address)).retryAfter);
      await endBlocks(server);
    }
    expect(waits[0]).toBeGreaterThan(0);
    for (let i = 1; i < waits.length; i++) expect(waits[i], waits.join(', ')).toBeGreaterThanOrEqual(2 * (waits[i - 1] ?? 0) - 1);
    // a right password after the wait clears the pair
    expect((await login(server, 'slowed', 'slowed-secret-1', address)).status).toBe(200);
    expect((await login(server, 'slowed', 'wrong-after', address)).status).toBe(401);
  });

  it('an address spraying many accounts is capped, whatever account it names, while other addresses are not', async () => {
    const sprayer = '203.0.113.70';
    let status = 0;
    let tries = 0;
    for (; tries < 30 && status !== 429; tries++) status = (await login(server, `spray${tries}`, 'guess-guess', sprayer)).status;
    expect(status).toBe(429);
    expect(tries).toBe(22);
    expect((await login(server, 'admin', adminPassword, sprayer)).status).toBe(429);
    expect((await login(server, 'admin', adminPassword, '198.51.100.22')).status).toBe(200);
  });

  it('writes one audit row per burst of refused attempts, not one per attempt', async () => {
    const address = '203.0.113.80';
    for (let i = 0; i < 4; i++) await login(server, 'burst-target', `wrong-${i}`, address);
    for (let i = 0; i < 10; i++) expect((await login(server, 'burst-target', 'hammer', address)).status).toBe(429);
    const audit = await server.admin.get('/api/audit?action=login.throttled&limit=500');
    const rows = audit.body.entries.filter((e: { target: string }) => e.target === 'burst-target');
    expect(rows).toHaveLength(1);
    expect(rows[0].detail).toMatchObject({ address, scope: 'pair' });
    const failed = await server.admin.get('/api/audit?action=login.failed&limit=500');
    expect(failed.body.entries.filter((e: { target: string }) => e.target === 'burst-target')).toHaveLength(4);
  });

  it('the counts live in the database: a second app server on the same file refuses the same guesser', async () => {
    const address = '203.0.113.90';
    for (let i = 0; i < 4; i++) await login(server, 'shared-target', `wrong-${i}`, address);
    const store = await openStore({ dbFile: server.dbFile, databaseUrl: server.dbEnv.PODIUM_DATABASE_URL || undefined });
    try {
      const second = createApp({ store, trustProxy: true });
      const ask = (from: string) =>
        second.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ username: 'shared-target', password: 'x-guess-x' }) });
      expect((await ask(address)).status).toBe(429);
      expect((await ask('198.51.100.23')).status).toBe(401);
    } finally {
      await store.close();
    }
  });

  it('the session cookie is Secure when the trusted proxy says the browser used https', async () => {
    const res = await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: adminPassword }, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.24' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/;\s*Secure/i);
    const plain = await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: adminPassword }, { 'x-forwarded-for': '198.51.100.24' });
    expect(plain.headers.get('set-cookie') ?? '').not.toMatch(/Secure/i);
  });
});

describe('login throttling without PODIUM_TRUST_PROXY', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.admin.post('/api/users', { username: 'victim', password: 'victim-secret-1', role: 'labeler' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('X-Forwarded-For is ignored: a made-up address does not escape the backoff, and X-Forwarded-Proto sets no Secure', async () => {
    for (let i = 0; i < 4; i++) expect((await login(server, 'victim', `wrong-${i}`, `192.0.2.${i + 1}`)).status).toBe(401);
    expect((await login(server, 'victim', 'victim-secret-1', '192.0.2.200')).status).toBe(429);
    const res = await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: adminPassword }, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/Secure/i);
  });

  it('a wrong current password on the account page counts like a failed login', async () => {
    const owner = new ApiClient(server.url);
    await server.admin.post('/api/users', { username: 'changer', password: 'changer-secret-1', role: 'labeler' });
    await owner.login('changer', 'changer-secret-1');
    for (let i = 0; i < 4; i++) expect((await owner.post('/api/account/password', { currentPassword: `wrong-${i}`, newPassword: 'changer-secret-2' })).status).toBe(400);
    const blocked = await owner.post('/api/account/password', { currentPassword: 'changer-secret-1', newPassword: 'changer-secret-2' });
    expect(blocked.status).toBe(429);
  });
});
