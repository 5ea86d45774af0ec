import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from 'node:net';
import fc from 'fast-check';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLines, limitBodyStream } from '../../server/http/body-stream.ts';
import { createApi } from '../../server/app.ts';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

/** Sends a request with a declared Content-Length but no body, to see whether the server refuses on the header alone. */
function declaredLength(url: string, path: string, length: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + path, { method: 'POST', headers: { ...headers, 'content-length': String(length), 'content-type': 'application/x-ndjson' } }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** Sends `parts` as a chunked body (no Content-Length), so the server cannot judge the size from the headers. */
function chunkedPost(url: string, path: string, parts: string[], headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('web hardening', () => {
  let server: TestServer;
  let adminToken: ApiClient;
  let projectId: number;
  let assignmentId: number;

  beforeAll(async () => {
    server = await startTestServer();
    const p = await server.admin.post('/api/projects', { name: 'H', responsesPerPrompt: 2, labelersPerPrompt: 2 });
    projectId = p.body.project.id as number;
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'h1', prompt: 'Hi?', responses: ['a', 'b'] }]));
    const labeler = await userClient(server, 'lab', 'labeler');
    await server.admin.post(`/api/projects/${projectId}/members`, { userId: labeler.id });
    assignmentId = (await labeler.client.post(`/api/projects/${projectId}/tasks/next`)).body.assignment.id as number;
    adminToken = new ApiClient(server.url, (await server.admin.post('/api/tokens', { name: 'fuzz' })).body.token as string);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('cross-site requests', () => {
    it('refuses a state change another site can send without asking (form, text, no body), even with a valid session', async () => {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const evil = await server.admin.post('/api/projects', 'name=x', { ...form, origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      expect(evil.body.error.code).toBe('cross_site');
      const fetchMeta = await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'csrf', prompt: 'x' }]), { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' });
      expect(fetchMeta.status).toBe(403);
      const opaque = await server.admin.post('/api/auth/logout', undefined, { origin: 'null' });
      expect(opaque.status).toBe(403);
      expect((await server.admin.get('/api/me')).status).toBe(200);
    });

    it('a JSON write from another site needs a CORS preflight, which gets no permission', async () => {
      const preflight = await fetch(`${server.url}/api/projects`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.status).toBeLessThan(500);
    });

    it('a malformed Origin is a refusal or an ordinary answer, never a 500, on login too', async () => {
      for (const origin of ['http://[bad', 'null', '::::', 'http://%zz', 'https://', '\u00ff'.repeat(3)]) {
        for (const contentType of ['application/json', 'text/plain']) {
          const res = await new ApiClient(server.url).post('/api/auth/login', JSON.stringify({ username: 'nobody-origin', password: 'wrong-password' }), { origin, 'content-type': contentType });
          expect(res.status, `${origin} ${contentType}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${origin} ${contentType}`).toBeLessThan(500);
          expect(res.body.error.code).toBeTruthy();
        }
      }
    });

    it('a broken percent-escape or a non-canonical id in a path is a 4xx with the error body', async () => {
      for (const path of ['/api/projects/%/results', `/api/projects/${projectId}%/results`, '/api/projects/%E0%A4%A/review', '/api/assignments/%ZZ/skip', '/api/users/0x1', '/api/users/1%20', '/api/users/01', '/api/users/1e0']) {
        for (const method of ['GET', 'POST', 'PATCH']) {
          const res = await adminToken.request(method, path, method === 'GET' ? undefined : { disabled: false });
          expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          expect(res.body.error.code, `${method} ${path}`).toBeTruthy();
        }
      }
      // PATCH /api/users/1 is a real route; its look-alikes name no user
      expect((await adminToken.request('PATCH', '/api/users/0x1', { disabled: false })).body.error.code).toBe('invalid_input');
    });

    it('JSON nested 5,000 levels deep is a 400 on a JSON route', async () => {
      const deep = JSON.stringify({ name: 'deep', responsesPerPrompt: 2, labelersPerPrompt: 1 }).replace('"deep"', '['.repeat(5000) + ']'.repeat(5000));
      const res = await adminToken.post('/api/projects', deep, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('too_deep');
      const flags = `{"ranking":[[1],[2]],"flags":{"1":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
      const submit = await adminToken.post(`/api/assignments/${assignmentId}/submit`, flags, { 'content-type': 'application/json' });
      expect(submit.status).toBe(400);
      expect(submit.body.error.code).toBe('too_deep');
    });

    it('lets the same origin write, and lets anyone read what their session allows', async () => {
      const same = await server.admin.post('/api/projects', { name: 'same', responsesPerPrompt: 2, labelersPerPrompt: 1 }, { origin: server.url, 'sec-fetch-site': 'same-origin' });
      expect(same.status).toBe(201);
      const read = await server.admin.request('GET', '/api/me', undefined, { origin: 'https://evil.example' });
      expect(read.status).toBe(200);
    });

    it('sets the session cookie HttpOnly and SameSite', async () => {
      const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lab', password: 'lab-password' }) });
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
    });
  });

  it('answers an unknown API path with 404 not_found, not the single page and not a missing-policy 403', async () => {
    for (const path of ['/api/nothing-here', '/api/projects/1/nothing', '/api/projects/%/results']) {
      const res = await server.admin.get(path);
      expect(res.status, path).toBe(404);
      expect((res.body as { error: { code: string } }).error.code, path).toBe('not_found');
    }
  });

  it('sends secure headers with a CSP that allows nothing from another origin', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/img-src 'self' data:/);
    // no directive names a remote scheme, host or wildcard
    for (const directive of csp.split(';')) expect(directive, directive).not.toMatch(/https?:|\*|\/\//);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  describe('body limits', () => {
    it('a ranking over 64 KB is 413', async () => {
      const res = await adminToken.post(`/api/assignments/${assignmentId}/submit`, { ranking: [[1], [2]], comment: 'x'.repeat(70 * 1024) });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('too_large');
    });

    it('a chunked JSON body (no Content-Length) is read whole when small and refused with 413 past the route limit', async () => {
      const auth = { authorization: `Bearer ${adminToken.bearer}` };
      const name = '\ufeff{"name": "chunked", "responsesPerPrompt": 2, "labelersPerPrompt": 1}';
      const ok = await chunkedPost(server.url, '/api/projects', [name.slice(0, 10), name.slice(10)], auth);
      expect(ok.status).toBe(201);
      expect(JSON.parse(ok.body).project.name).toBe('chunked');
      const comment = JSON.stringify({ ranking: [[1], [2]], comment: 'x'.repeat(70 * 1024) });
      const big = await chunkedPost(server.url, `/api/assignments/${assignmentId}/submit`, [comment.slice(0, 30_000), comment.slice(30_000)], auth);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).error.code).toBe('too_large');
    });

    it('a client that goes away halfway through a body is not a server error, and the next request is served', async () => {
      const logged = vi.spyOn(console, 'error');
      const { hostname, port } = new URL(server.url);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":');
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => setTimeout(resolve, 100));
        socket.on('error', reject);
      });
      const login = await new ApiClient(server.url).post('/api/auth/login', { username: 'lab', password: 'lab-password' });
      expect(login.status).toBe(200);
      expect(logged).not.toHaveBeenCalled();
      logged.mockRestore();
    });

    it('a JSON write over 1 MB is 413; a login over 4 KB is 413', async () => {
      const big = await adminToken.post('/api/projects', { name: 'big', guidelines: 'g'.repeat(1100 * 1024), responsesPerPrompt: 2, labelersPerPrompt: 1 });
      expect(big.status).toBe(413);
      const login = await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: 'p'.repeat(5000) });
      expect(login.status).toBe(413);
    });

    it('an import may be large (2 MB passes) but one declaring more than 200 MB is refused before it is read', async () => {
      const lines = Array.from({ length: 500 }, (_, i) => ({ id: `big${i}`, prompt: 'p'.repeat(2500), responses: ['r'.repeat(1200), 's'.repeat(1200)] }));
      const body = jsonl(lines);
      expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
      const ok = await adminToken.post(`/api/projects/${projectId}/import`, body);
      expect(ok.status).toBe(200);
      expect(ok.body.imported).toBe(500);
      const status = await declaredLength(server.url, `/api/projects/${projectId}/import`, 201 * 1024 * 1024, { authorization: `Bearer ${adminToken.bearer}` });
      expect(status).toBe(413);
    });

    it('a chunked upload (no Content-Length) is counted as it streams and cut off past the limit with 413', async () => {
      // The import limit is 200 MB; the same streaming counter is exercised here with a 1 KB limit.
      const app = new Hono();
      app.onError((err, c) => (err instanceof HTTPException ? c.json({ error: { code: 'too_large' } }, 413) : c.json({ error: { code: 'internal' } }, 500)));
      app.post('/upload', async (c, next) => {
        limitBodyStream(c, 1024);
        await next();
      }, async (c) => {
        let lines = 0;
        for await (const _line of bodyLines(c.req.raw.body)) lines++;
        return c.json({ lines });
      });
      const chunked = (bytes: number) =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let sent = 0; sent < bytes; sent += 100) controller.enqueue(new TextEncoder().encode('x'.repeat(99) + '\n'));
            controller.close();
          },
        });
      const small = await app.request('/upload', { method: 'POST', body: chunked(500), duplex: 'half' } as RequestInit);
      expect(await small.json()).toEqual({ lines: 5 });
      const large = await app.request('/upload', { method: 'POST', body: chunked(5000), duplex: 'half' } as RequestInit);
      expect(large.status).toBe(413);
    });
  });

  describe('junk input never gives a 5xx', () => {
    const writeRoutes = createApi()
      .routes.filter((r) => r.method !== 'ALL' && r.method !== 'GET')
      .map((r) => ({ method: r.method, path: `/api${r.path}` }))
      .filter((r, i, all) => all.findIndex((o) => o.method === r.method && o.path === r.path) === i);
    const getRoutes = [...new Set(createApi().routes.filter((r) => r.method === 'GET').map((r) => `/api${r.path}`))];

    const concrete = (path: string) =>
      path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
        if (name === 'token') return 'pi_junk';
        if (path.startsWith('/api/projects/')) return String(projectId);
        if (path.startsWith('/api/assignments/')) return String(assignmentId);
        return '999999';
      });

    const send = async (method: string, path: string, body: string, contentType = 'application/json') => {
      const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${adminToken.bearer}`, 'content-type': contentType }, body });
      const text = await res.text();
      return { status: res.status, text };
    };

    const junk = ['', 'not json', '{', '[]', 'null', '123', '"text"', '{"a":', '{"ranking":"x>y"}', '{"ranking":[[null]]}', '{"name":{"$gt":""}}', '[' .repeat(5000) + ']'.repeat(5000), '{"password":12345678,"username":[]}', '\u0000\uffff', '{"__proto__":{"admin":true}}'];

    it.each(writeRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
      const path = concrete(route.path);
      // The import route takes JSONL, not JSON, so it also gets JSON-ish junk as text.
      for (const body of junk) {
        const res = await send(route.method, path, body);
        expect(res.status, `${body.slice(0, 40)} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status === 400) expect(JSON.parse(res.text).error.code).toBeTruthy();
      }
      const wrongType = await send(route.method, path, 'a=1&b=2', 'application/x-www-form-urlencoded');
      expect(wrongType.status).toBeLessThan(500);
    });

    it('malformed JSON is 400 with the error shape; wrong types are 400 with the zod issues', async () => {
      const malformed = await send('POST', '/api/projects', '{"name":');
      expect(malformed.status).toBe(400);
      expect(JSON.parse(malformed.text).error.code).toBeTruthy();
      const wrong = await send('POST', '/api/projects', JSON.stringify({ name: 5, responsesPerPrompt: 'four', labelersPerPrompt: -1 }));
      expect(wrong.status).toBe(400);
      const body = JSON.parse(wrong.text) as { error: { code: string; issues: { path: string[] }[] } };
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['name', 'responsesPerPrompt', 'labelersPerPrompt']));
    });

    it('random JSON values on random write routes, and random query strings on read routes, stay below 500 (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...writeRoutes), fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ ranking: v, name: v, role: v, password: v }))), async (route, body) => {
          const res = await send(route.method, concrete(route.path), body);
          return res.status < 500;
        }),
        { numRuns: 150 },
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...getRoutes.filter((p) => !p.endsWith('/events'))), fc.dictionary(fc.constantFrom('limit', 'offset', 'before', 'format', 'strategy', 'minMargin', 'split', 'action', 'userId'), fc.string()), async (path, query) => {
          const res = await fetch(`${server.url}${concrete(path)}?${new URLSearchParams(query).toString()}`, { headers: { authorization: `Bearer ${adminToken.bearer}` } });
          await res.body?.cancel();
          return res.status < 500;
        }),
        { numRuns: 100 },
      );
    });
  });
});

