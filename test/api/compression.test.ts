import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/paths.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** One request as it travels: node:http does not decompress, unlike fetch, so the bytes are the wire's. */
function raw(method: string, url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const rawGet = (url: string, headers: Record<string, string>) => raw('GET', url, headers);

function decoded(res: Raw): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.body);
  if (encoding === 'gzip') return gunzipSync(res.body);
  return res.body;
}

let server: TestServer;
let cookie: string;
beforeAll(async () => {
  server = await startTestServer();
  cookie = server.admin.cookie;
});
afterAll(async () => {
  await server?.stop();
});

describe('the built client over the wire', () => {
  it('sends the main script as brotli, gzip or plain, as the browser accepts, with the same bytes inside', async () => {
    const page = await rawGet(`${server.url}/projects`, {});
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(page.body.toString())?.[1];
    expect(script).toBeDefined();
    const file = readFileSync(join(repoRoot, 'client', 'dist', script ?? ''));

    for (const [accept, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['', undefined],
      ['identity', undefined],
    ] as const) {
      const res = await rawGet(server.url + script, accept ? { 'accept-encoding': accept } : {});
      expect(res.status, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe(expected);
      expect(res.headers['content-type'], accept).toBe('text/javascript; charset=utf-8');
      expect(res.headers.vary, accept).toMatch(/accept-encoding/i);
      expect(res.headers['cache-control'], accept).toBe('public, max-age=31536000, immutable');
      expect(Number(res.headers['content-length']), accept).toBe(res.body.length);
      if (expected) expect(res.body.length, accept).toBeLessThan(file.length / 2);
      expect(decoded(res).equals(file), accept).toBe(true);
    }
  });

  it('answers 404 for an asset that is not there, and for a path that tries to leave the folder', async () => {
    expect((await rawGet(`${server.url}/assets/index-nothere.js`, { 'accept-encoding': 'br' })).status).toBe(404);
    expect((await rawGet(`${server.url}/assets/..%2F..%2Fpackage.json`, { 'accept-encoding': 'br' })).status).toBe(404);
  });
});

describe('JSON answers', () => {
  it('compresses a large answer the client accepts compressed, and leaves a small one as it is', async () => {
    const guidelines = Array.from({ length: 80 }, (_, i) => `${i + 1}. Prefer the answer that is correct, then the one that is clear.`).join('\n');
    const created = await server.admin.post('/api/projects', { name: 'long guidelines', guidelines, responsesPerPrompt: 2, labelersPerPrompt: 1 });
    expect(created.status).toBe(201);
    const path = `/api/projects/${created.body.project.id}`;

    for (const accept of ['br', 'gzip'] as const) {
      const big = await rawGet(server.url + path, { cookie, 'accept-encoding': accept });
      expect(big.status).toBe(200);
      expect(big.headers['content-encoding']).toBe(accept);
      expect(big.headers['content-type']).toMatch(/^application\/json/);
      expect(big.headers.vary).toMatch(/accept-encoding/i);
      expect(big.body.length).toBeLessThan(guidelines.length / 2);
      expect(JSON.parse(decoded(big).toString()).project.guidelines).toBe(guidelines);
    }
    const plain = await rawGet(server.url + path, { cookie });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString()).project.guidelines).toBe(guidelines);

    const small = await rawGet(`${server.url}/api/health`, { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ ok: true });
  });

  it('leaves the labeling loop uncompressed, and streams the export as readable JSON lines', async () => {
    const created = await server.admin.post('/api/projects', { name: 'stream', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    const projectId = created.body.project.id as number;
    const long = 'A long answer with enough words to pass the threshold. '.repeat(30);
    const lines = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, prompt: `Question ${i}?`, responses: [`${long} first ${i}`, `${long} second ${i}`] }));
    expect((await server.admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
    for (let i = 0; i < lines.length; i++) {
      const next = await server.admin.post(`/api/projects/${projectId}/tasks/next`);
      expect(next.status).toBe(200);
      if (i === 0) {
        // The same request as it travels: a task of 3 KB, still sent as it is.
        const task = await raw('POST', `${server.url}/api/projects/${projectId}/tasks/next`, { cookie, 'accept-encoding': 'br, gzip', origin: server.url });
        expect(task.status).toBe(200);
        expect(task.body.length).toBeGreaterThan(2048);
        expect(task.headers['content-encoding']).toBeUndefined();
      }
      const a = next.body.assignment as { id: number; responses: { id: number }[] };
      expect((await server.admin.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) })).status).toBe(201);
    }

    const res = await rawGet(`${server.url}/api/projects/${projectId}/export?format=trl&strategy=all`, { cookie, 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-encoding']).toBeUndefined();
    // Streamed as it is written (chunked), not gathered into one body with a length first.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const exported = res.body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { prompt: string });
    expect(exported).toHaveLength(20);
    expect(exported[0]?.prompt).toMatch(/Question \d+\?/);
  });
});
