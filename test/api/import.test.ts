import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

let server: TestServer;

const podium = (args: string[]) => runCli(args, server.dbEnv);
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function createProject(k: number): Promise<number> {
  const res = await server.admin.post('/api/projects', { name: `import k${k}`, responsesPerPrompt: k, labelersPerPrompt: 1 });
  expect(res.status).toBe(201);
  return res.body.project.id as number;
}
const promptCount = async (projectId: number) => (await server.admin.get(`/api/projects/${projectId}`)).body.project.progress.prompts as number;

type Refusal = { error: { code: string; message: string; issues: { line: number; message: string }[]; badLines: number; stoppedAtLine?: number } };

/** A file with one line per rule a trainer needs, between good lines: each bad line is named, nothing is stored. */
const ruleLines = [
  { id: 'good-1', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }], responses: ['Paris.', 'Lyon.', 'Nice.'] },
  { id: 'ends-system', messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: 'Be brief.' }] },
  { id: 'ends-assistant', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] },
  { id: 'late-system', messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Again' }] },
  { id: 'empty', messages: [{ role: 'user', content: '  \n ' }] },
  { id: 'tool', messages: [{ role: 'tool', content: '{}' }, { role: 'user', content: 'Hi' }] },
  { id: 'same', prompt: 'Capital?', responses: ['It is Paris.', 'Lyon.', ' It is\n Paris. '] },
  { id: 'good-2', prompt: 'Capital of Spain?', responses: ['Madrid.', 'Seville.', 'Madrid!'] },
];

describe('import refuses prompts no trainer can use (issue 11)', () => {
  it('a 400 lists {line, message} for each bad line and stores nothing of the file', async () => {
    const projectId = await createProject(3);
    const res = await server.admin.post<Refusal>(`/api/projects/${projectId}/import`, jsonl(ruleLines));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_import');
    expect(res.body.error.badLines).toBe(6);
    expect(res.body.error.message).toBe('6 bad lines; nothing was imported');
    expect(res.body.error.issues).toEqual([
      { line: 2, message: 'messages.1: a system message may only come first; messages.1: the last message is a system turn; it must be a user turn (the responses answer it)' },
      { line: 3, message: 'messages.1: the last message is an assistant turn; it must be a user turn (the responses answer it)' },
      { line: 4, message: 'messages.1: a system message may only come first' },
      { line: 5, message: 'messages.0.content: is empty' },
      { line: 6, message: 'messages.0.role: "tool" is not a role (roles are system, user, assistant)' },
      { line: 7, message: 'responses.2: the same text as responses.0 (ignoring whitespace); a pair of them would have chosen equal to rejected' },
    ]);
    expect(await promptCount(projectId)).toBe(0);
    // the good lines alone go in
    const ok = await server.admin.post(`/api/projects/${projectId}/import`, jsonl([ruleLines[0], ruleLines[7]]));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ imported: 2, responses: 6, warnings: [], warningLines: 0 });
  });

  it('the CLI prints FILE:LINE: reason for the same file and imports nothing', async () => {
    const projectId = await createProject(3);
    const file = join(server.dir, 'rules.jsonl');
    writeFileSync(file, jsonl(ruleLines));
    const cli = await podium(['import', '--project', String(projectId), file]);
    expect(cli.status).toBe(1);
    const lines = cli.stderr.trim().split('\n');
    expect(lines.slice(0, 6).map((l) => l.slice(0, l.indexOf(': ')))).toEqual([2, 3, 4, 5, 6, 7].map((n) => `${file}:${n}`));
    expect(lines[3]).toBe(`${file}:5: messages.0.content: is empty`);
    expect(lines[6]).toBe('6 bad lines; nothing was imported');
    expect(await promptCount(projectId)).toBe(0);
  });
});

describe('import warns about prompts that are not rankable yet', () => {
  it('a line with fewer than K responses is imported and comes back as a warning, in the API and the CLI', async () => {
    const projectId = await createProject(3);
    const lines = [
      { id: 'full', prompt: 'a?', responses: ['1', '2', '3'] },
      { id: 'short', prompt: 'b?', responses: ['1'] },
      { id: 'none', prompt: 'c?' },
    ];
    const res = await server.admin.post(`/api/projects/${projectId}/import`, jsonl(lines));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 3, responses: 4, warningLines: 1 });
    expect(res.body.warnings).toEqual([{ line: 2, message: 'has 1 of 3 responses; it is imported but not rankable until it has 3 (sampling adds the missing 2)' }]);
    expect((await server.admin.get(`/api/projects/${projectId}`)).body.project.progress).toMatchObject({ prompts: 3, rankablePrompts: 1 });

    const other = await createProject(3);
    const file = join(server.dir, 'short.jsonl');
    writeFileSync(file, jsonl(lines));
    const cli = await podium(['import', '--project', String(other), file]);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(`${file}:2: warning: has 1 of 3 responses`);
    expect(JSON.parse(cli.stdout)).toMatchObject({ imported: 3, warningLines: 1 });
  });
});

describe('junk imports do not tie up the server (issue 12)', () => {
  it('thousands of bad lines: the reply lists the first 100 and counts them all, in a few KB', async () => {
    const projectId = await createProject(2);
    const body = Array.from({ length: 5000 }, (_, i) => (i % 2 ? '{"prompt": ""}' : `not json ${'x'.repeat(200)}`)).join('\n');
    const res = await fetch(`${server.url}/api/projects/${projectId}/import`, { method: 'POST', headers: { cookie: server.admin.cookie }, body });
    const text = await res.text();
    expect(res.status).toBe(400);
    const reply = JSON.parse(text) as Refusal;
    expect(reply.error.issues).toHaveLength(100);
    expect(reply.error.badLines).toBe(5000);
    expect(reply.error.message).toBe('5000 bad lines; the first 100 are listed; nothing was imported');
    expect(text.length).toBeLessThan(20_000);
  });

  it('past 10,000 bad lines checking stops, and the reply says "at least"', async () => {
    const projectId = await createProject(2);
    const res = await server.admin.post<Refusal>(`/api/projects/${projectId}/import`, Array.from({ length: 12_000 }, () => '[]').join('\n'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ badLines: 10_000, stoppedAtLine: 10_000, message: 'at least 10000 bad lines (checking stopped at line 10000); the first 100 are listed; nothing was imported' });
  });

  it('metadata nested 5,000 levels deep is a 400 naming the line, not a 500', async () => {
    const projectId = await createProject(2);
    const deep = `{"prompt":"a","metadata":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const res = await server.admin.post<Refusal>(`/api/projects/${projectId}/import`, `{"prompt":"fine"}\n${deep}\n`);
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ line: 2, message: 'metadata: nests deeper than 64 levels' }]);
  });

  it('one line of several MB imports whole (its pieces arrive in many chunks)', async () => {
    const projectId = await createProject(2);
    const words = 'word '.repeat(600_000);
    const res = await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'big', prompt: `Summarise: ${words}`, responses: [words, `${words}!`] }, { id: 'after', prompt: 'small', responses: ['a', 'b'] }]));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, responses: 4 });
  });

  it('/api/health answers while an import is being uploaded and parsed', async () => {
    const projectId = await createProject(2);
    const chunk = jsonl(Array.from({ length: 20_000 }, (_, i) => ({ id: `h${i}`, prompt: `Question ${i}?`, responses: [`a ${i}`, `b ${i}`] })));
    const url = new URL(`${server.url}/api/projects/${projectId}/import`);
    let finished = false;
    const upload = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { cookie: server.admin.cookie, 'content-type': 'application/x-ndjson' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          finished = true;
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      // Half the file now; the rest only after health has answered, so the import is certainly still running.
      req.write(chunk);
      void (async () => {
        const health = await fetch(`${server.url}/api/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ ok: true });
        expect(finished).toBe(false);
        req.end(chunk.replaceAll('"h', '"i'));
      })().catch(reject);
    });
    const res = await upload;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ imported: 40_000 });
    // 40,000 prompts on Postgres take 15 s alone and over a minute beside the rest of the suite on 2 shared cores.
  }, 180_000);
});
