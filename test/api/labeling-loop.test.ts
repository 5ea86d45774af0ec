import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

type Assignment = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function createProject(body: Record<string, unknown>): Promise<number> {
  const res = await server.admin.post('/api/projects', body);
  expect(res.status).toBe(201);
  return res.body.project.id as number;
}

async function addLabeler(projectId: number, name: string): Promise<ApiClient> {
  const { client, id } = await userClient(server, name);
  expect((await server.admin.post(`/api/projects/${projectId}/members`, { userId: id })).status).toBe(201);
  return client;
}

/** Prompts p1..pN, each with responses "pX-a", "pX-b", "pX-c" (and more for larger K). */
function promptLines(n: number, k: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i + 1}`,
    prompt: `Question ${i + 1}?`,
    responses: Array.from({ length: k }, (_, j) => `p${i + 1}-${String.fromCharCode(97 + j)}`),
  }));
}

/** Turns a ranking written with response letters ("b>a=c") into the task's id tiers. */
function tiersFor(a: Assignment, spec: string): number[][] {
  const byLetter = new Map(a.responses.map((r) => [r.text.split('-')[1], r.id]));
  return spec.split('>').map((tier) => tier.split('=').map((letter) => byLetter.get(letter) as number));
}

describe('the labeling loop over HTTP', () => {
  it('three labelers rank six prompts; results give the hand-computed mean ranks; a fourth labeler gets 204', async () => {
    const projectId = await createProject({ name: 'loop', responsesPerPrompt: 3, labelersPerPrompt: 3, allowTies: true });
    const imported = await server.admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(6, 3)));
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 6, responses: 18 });

    // Each labeler's ranking of each prompt, by response letter. Prompt p1 is the seed's worked example:
    // ana b>a>c, ben a>b>c, cy b>c>a → mean ranks a = (2+1+3)/3 = 2, b = (1+2+1)/3 = 4/3, c = (3+3+2)/3 = 8/3:
    // response b wins, c loses. p2 has ties: ana a=b>c (a=b=1.5, c=3), ben a>b=c (1, 2.5, 2.5), cy c>a>b → a=(1.5+1+2)/3=1.5, b=(1.5+2.5+3)/3=7/3, c=(3+2.5+1)/3=13/6.
    const plan: Record<string, Record<string, string>> = {
      ana: { p1: 'b>a>c', p2: 'a=b>c', p3: 'a>b>c', p4: 'a>b>c', p5: 'c>b>a', p6: 'a=b=c' },
      ben: { p1: 'a>b>c', p2: 'a>b=c', p3: 'a>b>c', p4: 'b>a>c', p5: 'c>a>b', p6: 'a>b>c' },
      cy: { p1: 'b>c>a', p2: 'c>a>b', p3: 'a>c>b', p4: 'c>b>a', p5: 'c>b>a', p6: 'c>b>a' },
    };
    for (const name of Object.keys(plan)) {
      const client = await addLabeler(projectId, name);
      const seen: string[] = [];
      for (;;) {
        const next = await client.post(`/api/projects/${projectId}/tasks/next`);
        if (next.status === 204) break;
        expect(next.status).toBe(200);
        const a = next.body.assignment as Assignment;
        seen.push(a.prompt.externalId);
        const ranking = tiersFor(a, plan[name]?.[a.prompt.externalId] ?? '');
        const submitted = await client.post(`/api/assignments/${a.id}/submit`, { ranking });
        expect(submitted.status).toBe(201);
      }
      expect(seen.sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    }
    const fourth = await addLabeler(projectId, 'dee');
    expect((await fourth.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(204);

    const results = await server.admin.get(`/api/projects/${projectId}/results?limit=10`);
    expect(results.status).toBe(200);
    expect(results.body.total).toBe(6);
    const meanByText = (externalId: string) => {
      const p = results.body.results.find((r: { externalId: string }) => r.externalId === externalId);
      return Object.fromEntries(p.responses.map((r: { text: string; meanRank: number }) => [r.text.split('-')[1], r.meanRank]));
    };
    const p1 = meanByText('p1');
    expect(p1.a).toBeCloseTo(2, 10);
    expect(p1.b).toBeCloseTo(4 / 3, 10);
    expect(p1.c).toBeCloseTo(8 / 3, 10);
    const p2 = meanByText('p2');
    expect(p2.a).toBeCloseTo(1.5, 10);
    expect(p2.b).toBeCloseTo(7 / 3, 10);
    expect(p2.c).toBeCloseTo(13 / 6, 10);
    const progress = (await server.admin.get(`/api/projects/${projectId}`)).body.project.progress;
    expect(progress).toMatchObject({ prompts: 6, rankablePrompts: 6, rankingsDone: 18, rankingsNeeded: 18, completePrompts: 6 });

    const exported = await server.admin.get(`/api/projects/${projectId}/export?format=trl&strategy=all`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (exported.body as string).trim().split('\n').map((l) => JSON.parse(l));
    // trl's rendering: the prompt ends at "Assistant:" and each completion starts with the separating space.
    const pairsOf = (externalId: string) =>
      lines
        .filter((l) => l.podium.externalId === externalId)
        .map((l) => ({ prompt: l.prompt, chosen: l.chosen, rejected: l.rejected, margin: Number(l.margin.toFixed(9)), votes: l.podium.votes, agreement: Number(l.podium.agreement.toFixed(9)) }));
    const r = (x: number) => Number(x.toFixed(9));
    // p1, by hand: b (4/3) beats a (2) and c (8/3); a beats c. b over a: ana and cy for, ben against.
    expect(pairsOf('p1')).toEqual([
      { prompt: '\n\nHuman: Question 1?\n\nAssistant:', chosen: ' p1-b', rejected: ' p1-a', margin: r(2 - 4 / 3), votes: { for: 2, against: 1, tied: 0 }, agreement: r(2 / 3) },
      { prompt: '\n\nHuman: Question 1?\n\nAssistant:', chosen: ' p1-b', rejected: ' p1-c', margin: r(8 / 3 - 4 / 3), votes: { for: 3, against: 0, tied: 0 }, agreement: 1 },
      { prompt: '\n\nHuman: Question 1?\n\nAssistant:', chosen: ' p1-a', rejected: ' p1-c', margin: r(8 / 3 - 2), votes: { for: 2, against: 1, tied: 0 }, agreement: r(2 / 3) },
    ]);
    // p2 with ties: a 1.5 < c 13/6 < b 7/3. a over b: ana tied, ben and cy for → (2 + 1/2)/3; c over b: one each.
    expect(pairsOf('p2')).toEqual([
      { prompt: '\n\nHuman: Question 2?\n\nAssistant:', chosen: ' p2-a', rejected: ' p2-c', margin: r(13 / 6 - 1.5), votes: { for: 2, against: 1, tied: 0 }, agreement: r(2 / 3) },
      { prompt: '\n\nHuman: Question 2?\n\nAssistant:', chosen: ' p2-a', rejected: ' p2-b', margin: r(7 / 3 - 1.5), votes: { for: 2, against: 0, tied: 1 }, agreement: r(5 / 6) },
      { prompt: '\n\nHuman: Question 2?\n\nAssistant:', chosen: ' p2-c', rejected: ' p2-b', margin: r(7 / 3 - 13 / 6), votes: { for: 1, against: 1, tied: 1 }, agreement: 0.5 },
    ]);
    // p6: ana tied all three, ben a>b>c, cy c>b>a → a = (2+1+3)/3 = 2, b = 2, c = (2+3+1)/3 = 2: a full consensus tie, no pairs.
    expect(pairsOf('p6')).toEqual([]);

    // The CLI writes exactly the API's lines for the same settings.
    const cli = await runCli(['export', '--project', String(projectId), '--format', 'trl', '--strategy', 'all'], server.dbEnv);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(exported.body);

    // train and test split by prompt: disjoint, and together the whole export.
    const side = async (split: string) => ((await server.admin.get(`/api/projects/${projectId}/export?split=${split}&testFraction=0.5`)).body as string).trim().split('\n').filter(Boolean);
    const [train, test] = [await side('train'), await side('test')];
    expect([...train, ...test].sort()).toEqual((exported.body as string).trim().split('\n').sort());
    const promptsOf = (ls: string[]) => new Set(ls.map((l) => JSON.parse(l).podium.promptId));
    expect([...promptsOf(train)].filter((p) => promptsOf(test).has(p))).toEqual([]);
  });

  it('30 concurrent next-task calls on one prompt with R = 3 lease it exactly 3 times', async () => {
    const projectId = await createProject({ name: 'race', responsesPerPrompt: 2, labelersPerPrompt: 3 });
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(1, 2)));
    const clients = await Promise.all(Array.from({ length: 30 }, (_, i) => addLabeler(projectId, `racer${i}`)));
    const answers = await Promise.all(clients.map((c) => c.post(`/api/projects/${projectId}/tasks/next`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 204)).toHaveLength(27);
  });

  it('a labeler who asks again gets the same open assignment, with the display order they saw', async () => {
    const projectId = await createProject({ name: 'again', responsesPerPrompt: 4, labelersPerPrompt: 2 });
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(2, 4)));
    const client = await addLabeler(projectId, 'again1');
    const first = await client.post(`/api/projects/${projectId}/tasks/next`);
    const second = await client.post(`/api/projects/${projectId}/tasks/next`);
    expect(second.body.assignment.id).toBe(first.body.assignment.id);
    expect(second.body.assignment.responses).toEqual(first.body.assignment.responses);
  });

  it('an expired lease returns the prompt to the pool and its late submit is refused', async () => {
    const projectId = await createProject({ name: 'lease', responsesPerPrompt: 2, labelersPerPrompt: 1, leaseMinutes: 30 });
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(1, 2)));
    const slow = await addLabeler(projectId, 'slow');
    const quick = await addLabeler(projectId, 'quick');
    const taken = await slow.post(`/api/projects/${projectId}/tasks/next`);
    expect(taken.status).toBe(200);
    expect((await quick.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(204);
    // Thirty minutes pass: move the lease's expiry into the past rather than sleep.
    await server.store.engine.run('UPDATE assignments SET expires_at = ? WHERE id = ?', Date.now() - 1, taken.body.assignment.id);
    const regained = await quick.post(`/api/projects/${projectId}/tasks/next`);
    expect(regained.status).toBe(200);
    expect(regained.body.assignment.prompt.externalId).toBe('p1');
    const a = taken.body.assignment as Assignment;
    const late = await slow.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('assignment_expired');
  });

  it('a bad import line is reported with its number and nothing is stored; known ids are skipped', async () => {
    const projectId = await createProject({ name: 'imports', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    const body = [
      JSON.stringify({ id: 'ok-1', prompt: 'fine', responses: ['a', 'b'] }),
      '{not json',
      JSON.stringify({ id: 'ok-2', prompt: 'too many', responses: ['a', 'b', 'c'] }),
      JSON.stringify({ id: 'ok-3', messages: [{ role: 'user', content: 'hi' }], prompt: 'both' }),
      JSON.stringify({ id: 'ok-1', prompt: 'again' }),
      '',
      JSON.stringify({ id: 'ok-4', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] }),
    ].join('\n');
    const res = await server.admin.post(`/api/projects/${projectId}/import`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_import');
    expect(res.body.error.issues.map((i: { line: number }) => i.line)).toEqual([2, 3, 4, 5]);
    expect(res.body.error.issues[1].message).toMatch(/3 responses/);
    expect((await server.admin.get(`/api/projects/${projectId}`)).body.project.progress.prompts).toBe(0);

    const good = jsonl([{ id: 'ok-1', prompt: 'fine', responses: ['a', 'b'] }, { prompt: 'no id', responses: ['x'] }]);
    expect((await server.admin.post(`/api/projects/${projectId}/import`, good)).body).toMatchObject({ imported: 2, skipped: [] });
    const again = await server.admin.post(`/api/projects/${projectId}/import`, good);
    expect(again.body.imported).toBe(0);
    expect(again.body.skipped.map((s: { line: number }) => s.line)).toEqual([1, 2]);
    const progress = (await server.admin.get(`/api/projects/${projectId}`)).body.project.progress;
    // the prompt with one of two responses is stored but not rankable until it has K
    expect(progress).toMatchObject({ prompts: 2, rankablePrompts: 1 });
  });

  it('bad rankings get a 400 saying what is wrong and store nothing; resubmits are idempotent or 409', async () => {
    const projectId = await createProject({ name: 'strict', responsesPerPrompt: 3, labelersPerPrompt: 2, allowTies: false });
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(1, 3)));
    const client = await addLabeler(projectId, 'strict1');
    const other = await addLabeler(projectId, 'strict2');
    const a = (await client.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as Assignment;
    const [x, y, z] = a.responses.map((r) => r.id) as [number, number, number];
    const cases: [unknown, RegExp][] = [
      [{ ranking: [[x], [y]] }, /leaves out response/],
      [{ ranking: [[x], [y], [z], [x]] }, /more than once/],
      [{ ranking: [[x], [y], [999999]] }, /not part of this task/],
      [{ ranking: [[x, y], [z]] }, /does not allow ties/],
      [{ ranking: [] }, /at least one tier/],
      [{ ranking: 'x>y>z' }, /./],
      [{}, /ranking is required/],
    ];
    for (const [body, message] of cases) {
      const res = await client.post(`/api/assignments/${a.id}/submit`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await server.admin.get(`/api/projects/${projectId}/results`)).body.total).toBe(0);

    expect((await other.post(`/api/assignments/${a.id}/submit`, { ranking: [[x], [y], [z]] })).status).toBe(403);
    const good = { ranking: [[z], [x], [y]], flags: { [x]: ['factually-wrong'] }, comment: 'x invents a date' };
    expect((await client.post(`/api/assignments/${a.id}/submit`, good)).status).toBe(201);
    expect((await client.post(`/api/assignments/${a.id}/submit`, good)).status).toBe(200);
    const changed = await client.post(`/api/assignments/${a.id}/submit`, { ranking: [[x], [z], [y]] });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('already_submitted');

    const stored = (await server.admin.get(`/api/projects/${projectId}/results`)).body.results[0].rankings;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ username: 'strict1', ranking: [[z], [x], [y]], flags: { [x]: ['factually-wrong'] }, comment: 'x invents a date' });
  });

  it('keeps labelers out of projects they are not members of, and out of lead routes', async () => {
    const projectId = await createProject({ name: 'private', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    const { client: outsider } = await userClient(server, 'outsider');
    expect((await outsider.get(`/api/projects/${projectId}`)).status).toBe(404);
    expect((await outsider.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(404);
    expect((await outsider.get('/api/projects')).body.projects).toEqual([]);
    const member = await addLabeler(projectId, 'insider');
    expect((await member.get(`/api/projects/${projectId}`)).status).toBe(200);
    expect((await member.get(`/api/projects/${projectId}/results`)).status).toBe(403);
    expect((await member.post(`/api/projects/${projectId}/import`, jsonl(promptLines(1, 2)))).status).toBe(403);
    expect((await new ApiClient(server.url).get('/api/projects')).status).toBe(401);
  });

  it('skip returns the prompt to the pool for others, not for the labeler who skipped', async () => {
    const projectId = await createProject({ name: 'skips', responsesPerPrompt: 2, labelersPerPrompt: 1 });
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl(promptLines(1, 2)));
    const a = await addLabeler(projectId, 'skipper');
    const b = await addLabeler(projectId, 'taker');
    const task = (await a.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as Assignment;
    expect((await a.post(`/api/assignments/${task.id}/skip`, { reason: '' })).status).toBe(400);
    expect((await a.post(`/api/assignments/${task.id}/skip`, { reason: 'needs domain knowledge' })).status).toBe(201);
    expect((await a.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(204);
    expect((await b.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(200);
  });
});
