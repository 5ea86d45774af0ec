import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

// Gold prompts end to end over the API: imported or set by a lead, mixed into each labeler's queue at the project's
// rate and at most once, shaped like any task, never counted as data, and pausing a labeler whose answers disagree.

type Assignment = { id: number; prompt: { id: number; externalId: string }; responses: { id: number; text: string }[] };

let server: TestServer;
let lead: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  lead = (await userClient(server, 'lea', 'lead')).client;
});
afterAll(async () => {
  await server?.stop();
});

const line = (id: string, gold?: number[][]) => ({ id, prompt: `Question ${id}?`, responses: ['a', 'b', 'c'].map((x) => `${id}-${x}`), ...(gold ? { gold } : {}) });

async function project(settings: Record<string, unknown>, lines: unknown[]): Promise<number> {
  const created = await lead.post('/api/projects', { name: 'gold', responsesPerPrompt: 3, labelersPerPrompt: 1, ...settings });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.project.id as number;
  const imported = await lead.post(`/api/projects/${id}/import`, jsonl(lines));
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  return id;
}

async function member(projectId: number, name: string): Promise<{ client: ApiClient; id: number }> {
  const u = await userClient(server, name);
  expect((await lead.post(`/api/projects/${projectId}/members`, { userId: u.id })).status).toBe(201);
  return u;
}

/** The response ids of a task in the order of their texts' letters (a, b, c): index i of the import line. */
const byIndex = (a: Assignment): number[] => [...a.responses].sort((x, y) => x.text.localeCompare(y.text)).map((r) => r.id);

describe('gold in the import file', () => {
  it('refuses a bad known order with the line number and what is wrong, and stores nothing', async () => {
    const created = await lead.post('/api/projects', { name: 'bad gold', responsesPerPrompt: 3, labelersPerPrompt: 1 });
    const id = created.body.project.id as number;
    const cases: [unknown, RegExp][] = [
      [[[0], [2]], /gold: leaves out response 1/],
      [[[0], [2, 0], [1]], /gold\.1: response 0 appears more than once/],
      [[[0], [3], [1, 2]], /gold\.1: 3 is not a response index \(0 to 2\)/],
      ['0,1,2', /gold: must be tiers of 0-based response indexes/],
    ];
    for (const [gold, message] of cases) {
      const res = await lead.post(`/api/projects/${id}/import`, jsonl([line('ok'), { ...line('g'), gold }]));
      expect(res.status).toBe(400);
      expect(res.body.error.issues).toEqual([{ line: 2, message: expect.stringMatching(message) }]);
    }
    const short = await lead.post(`/api/projects/${id}/import`, jsonl([{ id: 's', prompt: 'q?', responses: ['x', 'y'], gold: [[0], [1]] }]));
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0]).toMatchObject({ line: 1, message: expect.stringMatching(/a known order ranks all 3 responses; this line has 2/) });
    expect((await lead.get(`/api/projects/${id}`)).body.project.progress.prompts).toBe(0);
  });

  it('imports gold prompts apart from the work: they hold no places and are counted as gold', async () => {
    const id = await project({ labelersPerPrompt: 2 }, [line('p1'), line('p2'), line('g1', [[0], [2, 1]]), line('g2', [[2], [1], [0]])]);
    const got = (await lead.get(`/api/projects/${id}`)).body.project;
    expect(got.goldPrompts).toBe(2);
    expect(got.progress).toMatchObject({ prompts: 2, rankablePrompts: 2, rankingsNeeded: 4 });
    // The line's indexes became the ids of those responses: g1's [[0], [2, 1]] names its a, then c and b tied.
    for (const [ext, gold] of [['g1', [[0], [2, 1]]], ['g2', [[2], [1], [0]]]] as const) {
      const prompt = await server.store.engine.get<{ id: number }>('SELECT id FROM prompts WHERE project_id = ? AND external_id = ?', id, ext);
      if (!prompt) throw new Error(`${ext} was not imported`);
      const ids = (await server.store.engine.all<{ id: number }>('SELECT id FROM responses WHERE prompt_id = ? ORDER BY text', prompt.id)).map((r) => r.id);
      const stored = await lead.get(`/api/projects/${id}/prompts/${prompt.id}/gold`);
      expect(stored.body.gold).toEqual(gold.map((tier) => tier.map((i) => ids[i])));
    }
  });
});

describe('a lead sets and clears a known order', () => {
  let id: number;
  let promptId: number;
  let responseIds: number[];
  let labeler: { client: ApiClient; id: number };

  beforeAll(async () => {
    id = await project({ goldRate: 0 }, [line('p1'), line('p2')]);
    labeler = await member(id, 'gus');
    const a = (await labeler.client.post(`/api/projects/${id}/tasks/next`)).body.assignment as Assignment;
    promptId = a.prompt.id;
    responseIds = byIndex(a);
    expect((await labeler.client.post(`/api/assignments/${a.id}/skip`, { reason: 'later' })).status).toBe(201);
  });

  it('PUT stores it as tiers of response ids; the project counts it; a labeler may not', async () => {
    const ranking = [[responseIds[1]], [responseIds[0], responseIds[2]]];
    expect((await labeler.client.put(`/api/projects/${id}/prompts/${promptId}/gold`, { ranking })).status).toBe(403);
    const put = await lead.put(`/api/projects/${id}/prompts/${promptId}/gold`, { ranking });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ promptId, gold: ranking });
    expect((await lead.get(`/api/projects/${id}/prompts/${promptId}/gold`)).body.gold).toEqual(ranking);
    expect((await lead.get(`/api/projects/${id}`)).body.project).toMatchObject({ goldPrompts: 1, progress: { prompts: 1 } });
    // Setting it again changes the order, not the count.
    expect((await lead.put(`/api/projects/${id}/prompts/${promptId}/gold`, { ranking: [[responseIds[0]], [responseIds[1]], [responseIds[2]]] })).status).toBe(200);
    expect((await lead.get(`/api/projects/${id}`)).body.project.goldPrompts).toBe(1);
  });

  it('refuses an order that is not one of this prompt\'s responses each once, and an unknown prompt', async () => {
    const bad = await lead.put(`/api/projects/${id}/prompts/${promptId}/gold`, { ranking: [[responseIds[0]], [responseIds[1]]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_gold', message: expect.stringMatching(/leaves out response/) });
    expect((await lead.put(`/api/projects/${id}/prompts/${promptId}/gold`, { ranking: 'best first' })).status).toBe(400);
    expect((await lead.put(`/api/projects/${id}/prompts/999999/gold`, { ranking: [[1]] })).status).toBe(404);
  });

  it('DELETE clears it (twice is fine) and the prompt is work again', async () => {
    expect((await lead.request('DELETE', `/api/projects/${id}/prompts/${promptId}/gold`)).body).toEqual({ promptId, gold: null });
    expect((await lead.request('DELETE', `/api/projects/${id}/prompts/${promptId}/gold`)).status).toBe(200);
    expect((await lead.get(`/api/projects/${id}`)).body.project).toMatchObject({ goldPrompts: 0, progress: { prompts: 2 } });
  });
});

describe('gold in the queue', () => {
  it('comes at the project rate, each gold prompt at most once per labeler, shaped like any task', async () => {
    const gold = ['g1', 'g2', 'g3', 'g4'];
    const id = await project({ labelersPerPrompt: 2, goldRate: 0.25, goldMinTasks: 100 }, [...Array.from({ length: 16 }, (_, i) => line(`p${i}`)), ...gold.map((g) => line(g, [[0], [1], [2]]))]);
    for (const name of ['hal', 'ida']) {
      const { client } = await member(id, name);
      const seen: Assignment[] = [];
      for (;;) {
        const next = await client.post(`/api/projects/${id}/tasks/next`);
        if (next.status === 204) break;
        expect(next.status).toBe(200);
        const a = next.body.assignment as Assignment;
        seen.push(a);
        expect((await client.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) })).status).toBe(201);
      }
      const isGold = (a: Assignment) => gold.includes(a.prompt.externalId);
      // The rate holds at every step: after 4, 8 and 12 tasks, exactly a quarter were gold.
      for (const n of [4, 8, 12]) expect(seen.slice(0, n).filter(isGold)).toHaveLength(n / 4);
      // Every gold prompt once, every regular prompt once (R = 2: both labelers rank all of them).
      expect(seen).toHaveLength(20);
      const goldSeen = seen.filter(isGold).map((a) => a.prompt.externalId).sort();
      expect(goldSeen).toEqual(gold);
      // Nothing in the answer tells a gold task from another: the same fields, all the way down.
      const shape = (v: unknown): unknown => (Array.isArray(v) ? v.slice(0, 1).map(shape) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v);
      const goldTask = seen.find(isGold);
      const plainTask = seen.find((a) => !isGold(a));
      expect(shape(goldTask)).toEqual(shape(plainTask));
    }
  });

  it('with goldRate 0 no gold is handed out', async () => {
    const id = await project({ goldRate: 0 }, [line('p1'), line('p2'), line('g1', [[0], [1], [2]])]);
    const { client } = await member(id, 'jo');
    const seen: string[] = [];
    for (let next = await client.post(`/api/projects/${id}/tasks/next`); next.status === 200; next = await client.post(`/api/projects/${id}/tasks/next`)) {
      const a = next.body.assignment as Assignment;
      seen.push(a.prompt.externalId);
      await client.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) });
    }
    expect(seen.sort()).toEqual(['p1', 'p2']);
  });
});

describe('auto-pause on a low gold score, and its lifting', () => {
  let id: number;
  let kim: { client: ApiClient; id: number };
  const gold = ['g1', 'g2', 'g3', 'g4'];

  /** Kim ranks gold prompts the reverse of their known order (a, b, c best first) and the rest as shown. */
  async function rankNext(): Promise<{ status: number; body: any; gold?: boolean }> {
    const next = await kim.client.post(`/api/projects/${id}/tasks/next`);
    if (next.status !== 200) return next;
    const a = next.body.assignment as Assignment;
    const isGold = gold.includes(a.prompt.externalId);
    const ranking = isGold ? byIndex(a).reverse().map((r) => [r]) : a.responses.map((r) => [r.id]);
    expect((await kim.client.post(`/api/assignments/${a.id}/submit`, { ranking })).status).toBe(201);
    return { ...next, gold: isGold };
  }

  beforeAll(async () => {
    id = await project({ goldRate: 0.5, goldMinTasks: 2, goldMinTauB: 0.4 }, [...Array.from({ length: 10 }, (_, i) => line(`p${i}`)), ...gold.map((g) => line(g, [[0], [1], [2]]))]);
    kim = await member(id, 'kim');
  });

  it('pauses after goldMinTasks gold answers below goldMinTauB: tasks/next answers 403 paused, saying why, and it is audited', async () => {
    let goldDone = 0;
    while (goldDone < 2) {
      const r = await rankNext();
      expect(r.status).toBe(200);
      if (r.gold) goldDone++;
    }
    const next = await kim.client.post(`/api/projects/${id}/tasks/next`);
    expect(next.status).toBe(403);
    expect(next.body.error.code).toBe('paused');
    expect(next.body.error.message).toMatch(/mean tau-b -1\.00 over 2 checked tasks; this project asks for at least 0\.40/);
    expect((await kim.client.get(`/api/projects/${id}/tasks/counter`)).body.counter.left).toBe(0);
    const audit = await server.admin.get('/api/audit?action=member.pause');
    expect(audit.body.entries[0]).toMatchObject({ action: 'member.pause', target: `projects/${id}/members/${kim.id}` });
    expect(audit.body.entries[0].detail).toMatchObject({ by: 'gold', tasks: 2, meanTauB: -1 });
  });

  it('the lead sees the pause and the score on the dashboard and in the agreement report', async () => {
    const progress = (await lead.get(`/api/projects/${id}`)).body.project.progress;
    expect(progress.labelers.find((l: { username: string }) => l.username === 'kim').paused).toMatch(/mean tau-b -1\.00/);
    const quality = (await lead.get(`/api/projects/${id}/quality`)).body.quality;
    expect(quality.paused).toEqual([{ userId: kim.id, username: 'kim', reason: expect.stringMatching(/checked tasks/), gold: { tasks: 2, meanTauB: -1, topMatch: 0 } }]);
    const agreement = (await lead.get(`/api/projects/${id}/agreement?bootstrap=0`)).body;
    expect(agreement.labelers.find((l: { username: string }) => l.username === 'kim').gold).toEqual({ tasks: 2, meanTauB: -1, topMatch: 0 });
    // The agreement report on the command line says the same.
    const cli = await runCli(['agreement', '--project', String(id)], server.dbEnv);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).labelers.find((l: { labeler: number }) => l.labeler === kim.id).gold).toEqual({ tasks: 2, meanTauB: -1, topMatch: 0 });
  });

  it('only a lead lifts it; after the lift the old gold answers no longer count and kim labels again', async () => {
    expect((await kim.client.post(`/api/projects/${id}/members/${kim.id}/pause`, { paused: false })).status).toBe(403);
    const lift = await lead.post(`/api/projects/${id}/members/${kim.id}/pause`, { paused: false });
    expect(lift.status).toBe(200);
    expect(lift.body).toEqual({ userId: kim.id, paused: false });
    expect((await server.admin.get('/api/audit?action=member.unpause')).body.entries[0]).toMatchObject({ target: `projects/${id}/members/${kim.id}` });
    const agreement = (await lead.get(`/api/projects/${id}/agreement?bootstrap=0`)).body;
    expect(agreement.labelers.find((l: { username: string }) => l.username === 'kim').gold.tasks).toBe(0);
    expect((await lead.get(`/api/projects/${id}/quality`)).body.quality.paused).toEqual([]);
    // One more bad gold answer is not yet goldMinTasks of them since the lift: kim keeps labeling until the second.
    let goldDone = 0;
    for (let r = await rankNext(); r.status === 200; r = await rankNext()) if (r.gold) goldDone++;
    expect(goldDone).toBe(2);
    expect((await kim.client.post(`/api/projects/${id}/tasks/next`)).body.error.code).toBe('paused');
  });

  it('a lead may pause by hand (ending the open task) and the page says who did', async () => {
    const other = await member(id, 'lou');
    const task = await other.client.post(`/api/projects/${id}/tasks/next`);
    expect(task.status).toBe(200);
    expect((await lead.post(`/api/projects/${id}/members/${other.id}/pause`, { paused: true, reason: 'check your guidelines first' })).status).toBe(200);
    const next = await other.client.post(`/api/projects/${id}/tasks/next`);
    expect(next.status).toBe(403);
    expect(next.body.error.message).toMatch(/check your guidelines first/);
    const submit = await other.client.post(`/api/assignments/${task.body.assignment.id}/submit`, { ranking: task.body.assignment.responses.map((r: { id: number }) => [r.id]) });
    expect(submit.status).toBe(409);
    expect((await lead.post(`/api/projects/${id}/members/999999/pause`, { paused: false })).status).toBe(404);
    expect((await lead.post(`/api/projects/${id}/members/${other.id}/pause`, { paused: 'no' })).status).toBe(400);
  });
});
