import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accessPolicy } from '../../server/auth/access-policy.ts';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

/**
 * Every route of the access table (server/auth/access-policy.ts) gets malformed JSON, wrong types, huge numbers, odd
 * encodings, deep nesting, junk path params and bad headers, as an admin (so the request reaches the route's own
 * code), signed in by token, cookie or not at all. Nothing may answer 5xx, and a 4xx carries the usual error body.
 */

type Raw = { status: number; type: string; body: string };

/** Node's client, not fetch: it sends any bytes and the headers fetch would refuse to set (Content-Length lies aside). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body: Buffer | null): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + path, { method, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      const type = res.headers['content-type'] ?? '';
      // a stream (job events, export) is judged by its status alone
      if (type.includes('event-stream') || type.includes('ndjson')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, type, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const routes = Object.keys(accessPolicy).map((key) => {
  const [method = 'GET', path = '/'] = key.split(' ');
  return { method, path };
});

const deep = (n: number, open: string, close: string, inner = '1') => open.repeat(n) + inner + close.repeat(n);

const jsonishBody = fc.oneof(
  fc.json().map((s) => Buffer.from(s)),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify({ name: v, ranking: v, userId: v, password: v, username: v, role: v, disabled: v, reason: v, excluded: v, expiresInHours: v, revokeTokens: v }))),
  fc.string().map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    '', '{', '{"a":', '[]', 'null', 'true', '"text"', '1e999999', '-0', '123456789012345678901234567890',
    '{"userId":1e308}', '{"userId":-1}', '{"userId":9007199254740993}', '{"userId":"1"}', '{"ranking":[[1e400]]}',
    '{"expiresInHours":1e21}', '{"responsesPerPrompt":NaN}', '{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{}}}',
    deep(5000, '[', ']'), deep(5000, '{"a":', '}'), `{"ranking":${deep(3000, '[', ']')}}`, `{"flags":{"1":${deep(5000, '{"x":', '}')}}}`,
    '\ufeff{"name":"bom"}', '\u0000', '{"name":"\ud800"}', '{"name":"\\ud800"}',
  ).map((s) => Buffer.from(s)),
  // UTF-16 and invalid UTF-8 of a plausible body
  fc.constant(Buffer.from('{"name":"x","responsesPerPrompt":2,"labelersPerPrompt":1}', 'utf16le')),
  fc.constant(Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
);

const headerValue = fc.oneof(
  fc.constantFrom('http://[bad', 'null', '::::', 'http://%zz', 'https://', 'http://a b', 'x'.repeat(4000), '', ' ', 'javascript:alert(1)', '\u00ff\u00fe'),
  fc.stringMatching(/^[\x20-\x7e]{0,60}$/),
);

const junkHeaders = fc.record(
  {
    origin: headerValue,
    'sec-fetch-site': fc.oneof(fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none', 'bogus'), headerValue),
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/x-ndjson', '*/*', ';;;', 'application/json; charset="'),
    'x-forwarded-for': headerValue,
    'x-forwarded-proto': headerValue,
    'x-forwarded-host': headerValue,
    'accept-encoding': headerValue,
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'bogus'),
    cookie: fc.oneof(headerValue, fc.constant('podium_session=%'), fc.constant('podium_session="unterminated')),
    'if-none-match': headerValue,
  },
  { requiredKeys: [] },
);

describe('malformed requests over every route never answer 5xx', () => {
  let server: TestServer;
  let bearer: string;
  let cookie: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    const p = await server.admin.post('/api/projects', { name: 'Fuzz', responsesPerPrompt: 2, labelersPerPrompt: 2 });
    const projectId = p.body.project.id as number;
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'f1', prompt: 'Hi?', responses: ['a', 'b'] }]));
    const labeler = await userClient(server, 'fuzzed', 'labeler');
    await server.admin.post(`/api/projects/${projectId}/members`, { userId: labeler.id });
    const task = await labeler.client.post(`/api/projects/${projectId}/tasks/next`);
    const job = (await server.store.engine.get<{ id: number }>("INSERT INTO generation_jobs (project_id, status, concurrency) VALUES (?, 'done', 1) RETURNING id", projectId))!;
    // Its own session and token, so routes that end sessions or revoke tokens of the fixtures leave the fuzzer signed in.
    const fuzzer = await userClient(server, 'fuzz-admin', 'admin', 'fuzz-admin-secret');
    bearer = (await fuzzer.client.post('/api/tokens', { name: 'fuzz' })).body.token as string;
    cookie = fuzzer.client.cookie;
    ids = { project: String(projectId), assignment: String(task.body.assignment.id), job: String(job.id), user: String(labeler.id), prompt: String(task.body.assignment.prompt.id) };
  });
  afterAll(async () => {
    await server?.stop();
  });

  const param = fc.oneof(
    fc.constantFrom('real', 'real', 'real'),
    fc.constantFrom('999999', '0', '-1', '0x1', '1%20', '%20', '%', '%E0%A4%A', '%ZZ', '99999999999999999999', '1e3', '1.5', '%C3%A9', '%00', '..', '%2F', 'null', 'pi_junk'),
  );

  function concrete(path: string, choice: Record<string, string>): string {
    return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
      const picked = choice[name] ?? 'real';
      if (picked !== 'real') return picked;
      if (name === 'token') return 'pi_not-a-real-invite';
      if (name === 'promptId') return ids.prompt ?? '1';
      if (name === 'userId') return ids.user ?? '1';
      if (name === 'rankingId' || name === 'tokenId') return '999999';
      // never the fuzzer's own token or session: revoking them would leave only the 401 path to test
      if (path.startsWith('/api/tokens/') || path.startsWith('/api/account/')) return '999999';
      if (path.startsWith('/api/assignments/')) return ids.assignment ?? '1';
      if (path.startsWith('/api/generation-jobs/')) return ids.job ?? '1';
      if (path.startsWith('/api/users/')) return ids.user ?? '1';
      return ids.project ?? '1';
    });
  }

  function judge(route: string, res: Raw): string | null {
    if (res.status >= 500) return `${route} → ${res.status} ${res.body.slice(0, 200)}`;
    if (res.status >= 400 && res.type.includes('application/json')) {
      const code = (JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } }).error;
      if (typeof code?.code !== 'string' || typeof code.message !== 'string') return `${route} → ${res.status} without {error: {code, message}}: ${res.body.slice(0, 200)}`;
    }
    return null;
  }

  it('random bodies, params, headers and credentials (property, bounded)', async () => {
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.dictionary(fc.constantFrom('id', 'userId', 'promptId', 'rankingId', 'tokenId', 'token'), param),
        jsonishBody,
        junkHeaders,
        fc.constantFrom('token', 'cookie', 'none', 'junk-token'),
        fc.option(fc.constantFrom('?limit=1e999', '?before=-1&limit=abc', '?format=%', '?bootstrap=99999999999', '?offset=0x10', '?%=%', '?split=test&testFraction=NaN', '?userId=1%20'), { nil: '' }),
        async (route, choice, body, headers, auth, query) => {
          const h: Record<string, string> = { ...headers };
          if (auth === 'token') h.authorization = `Bearer ${bearer}`;
          if (auth === 'junk-token') h.authorization = 'Bearer \u00ff%%';
          if (auth === 'cookie') h.cookie = cookie;
          const path = concrete(route.path, choice) + query;
          const res = await send(server.url, route.method, path, h, route.method === 'GET' ? null : body);
          const wrong = judge(`${route.method} ${path}`, res);
          if (wrong) failures.push(wrong);
          return wrong === null;
        },
      ),
      { numRuns: 400, seed: 12 },
    );
    expect(failures).toEqual([]);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: a fixed set of junk', async (_name, route) => {
    const path = concrete(route.path, {});
    const auth = { authorization: `Bearer ${bearer}` };
    const bodies = ['{', deep(5000, '[', ']'), `{"metadata":${deep(5000, '{"a":', '}')}}`, '{"userId":1e400,"password":[],"ranking":"x"}', '\u0000\uffff'];
    for (const body of bodies) {
      const variants: Record<string, string>[] = [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain', origin: 'http://[bad' }, { 'content-type': 'application/json', origin: '::::', 'sec-fetch-site': 'bogus' }];
      for (const extra of variants) {
        const res = await send(server.url, route.method, path, { ...auth, ...extra }, route.method === 'GET' ? null : Buffer.from(body));
        expect(judge(`${route.method} ${path} ${body.slice(0, 20)}`, res)).toBeNull();
      }
    }
    // the same path with a broken escape where the id goes
    const broken = route.path.includes(':') ? route.path.replace(/:[A-Za-z]+/, '%') : null;
    if (broken) {
      const res = await send(server.url, route.method, concrete(broken, {}), auth, route.method === 'GET' ? null : Buffer.from('{}'));
      expect(judge(`${route.method} ${broken}`, res)).toBeNull();
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('the fuzzer is still signed in afterwards (the cases above reached the routes, not only the 401 path)', async () => {
    expect((await new ApiClient(server.url, bearer).get('/api/me')).status).toBe(200);
  });
});
