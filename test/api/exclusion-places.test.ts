import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';

// A lead's week: R = 2 on three prompts, four labelers. Ana and ben rank everything; the lead finds ben unreliable and
// excludes him, so his places go back and cy (then dee) is offered the prompts until each has two counted rankings again.

type Assignment = { id: number; prompt: { id: number; externalId: string }; responses: { id: number; text: string }[] };
type Progress = { rankingsDone: number; rankingsNeeded: number; completePrompts: number; openAssignments: number; labelers: { username: string; excluded: boolean }[] };

let server: TestServer;
let projectId: number;
let lead: ApiClient;
const labelers: Record<string, { client: ApiClient; id: number }> = {};
const promptIds: Record<string, number> = {};

async function rankOne(name: string): Promise<string | null> {
  const { client } = labelers[name]!;
  const next = await client.post(`/api/projects/${projectId}/tasks/next`);
  if (next.status === 204) return null;
  expect(next.status, JSON.stringify(next.body)).toBe(200);
  const a = next.body.assignment as Assignment;
  promptIds[a.prompt.externalId] = a.prompt.id;
  const ranking = a.responses.map((r) => [r.id]);
  expect((await client.post(`/api/assignments/${a.id}/submit`, { ranking })).status).toBe(201);
  return a.prompt.externalId;
}

/** Ranks until the pool has nothing left for this labeler; the prompts they were offered, in order. */
async function rankAll(name: string): Promise<string[]> {
  const seen: string[] = [];
  for (let ext = await rankOne(name); ext !== null; ext = await rankOne(name)) seen.push(ext);
  return seen;
}

const progress = async (): Promise<Progress> => {
  const res = await lead.get(`/api/projects/${projectId}`);
  expect(res.status).toBe(200);
  return res.body.project.progress as Progress;
};
const exclude = (path: string, excluded: boolean, reason = excluded ? 'unreliable' : '') => lead.post(`/api/projects/${projectId}/${path}/exclusion`, { excluded, reason });
const reviewOf = async (ext: string) => (await lead.get(`/api/projects/${projectId}/review/${promptIds[ext]}`)).body.prompt;
/** The stored counters against a recount from the rows: they must never drift, whatever was excluded and taken back. */
const counters = () =>
  server.store.engine.all<{ ext: string; kept: number; taken: number; open: number }>(
    `SELECT p.external_id AS ext, p.kept, p.taken,
            (SELECT count(*) FROM assignments a WHERE a.prompt_id = p.id AND a.state = 'open') AS open
     FROM prompts p WHERE p.project_id = ? ORDER BY p.id`,
    projectId,
  );

beforeAll(async () => {
  server = await startTestServer();
  const l = await userClient(server, 'lea', 'lead');
  lead = l.client;
  const created = await lead.post('/api/projects', { name: 'places', responsesPerPrompt: 3, labelersPerPrompt: 2 });
  expect(created.status).toBe(201);
  projectId = created.body.project.id;
  const prompts = ['p1', 'p2', 'p3'].map((id) => ({ id, prompt: `Question ${id}?`, responses: ['a', 'b', 'c'].map((x) => `${id}-${x}`) }));
  expect((await lead.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
  for (const name of ['ana', 'ben', 'cy', 'dee']) {
    labelers[name] = await userClient(server, name);
    expect((await lead.post(`/api/projects/${projectId}/members`, { userId: labelers[name].id })).status).toBe(201);
  }
});
afterAll(async () => {
  await server?.stop();
});

describe('exclusion gives places back', () => {
  it('a complete project: ana and ben rank everything, cy is offered nothing', async () => {
    expect(await rankAll('ana')).toHaveLength(3);
    expect(await rankAll('ben')).toHaveLength(3);
    expect(await rankAll('cy')).toEqual([]);
    expect(await progress()).toMatchObject({ rankingsDone: 6, rankingsNeeded: 6, completePrompts: 3 });
  });

  it('excluding ben reopens every prompt he ranked: cy ranks them, they complete again, dee gets nothing', async () => {
    expect((await exclude(`members/${labelers.ben!.id}`, true)).status).toBe(200);
    const after = await progress();
    expect(after).toMatchObject({ rankingsDone: 3, rankingsNeeded: 6, completePrompts: 0 });
    expect(after.labelers.find((l) => l.username === 'ben')?.excluded).toBe(true);
    expect((await reviewOf('p1')).openToLabelers).toBe(2);

    expect((await rankAll('cy')).sort()).toEqual(['p1', 'p2', 'p3']);
    expect(await progress()).toMatchObject({ rankingsDone: 6, rankingsNeeded: 6, completePrompts: 3 });
    expect(await rankAll('dee')).toEqual([]);
  });

  it('the excluded labeler gets 403 "excluded" from tasks/next and nothing left on the counter', async () => {
    const { client } = labelers.ben!;
    const next = await client.post(`/api/projects/${projectId}/tasks/next`);
    expect(next.status).toBe(403);
    expect(next.body.error.code).toBe('excluded');
    expect(next.body.error.message).toMatch(/excluded you from this project/);
    expect((await client.get(`/api/projects/${projectId}/tasks/counter`)).body.counter).toMatchObject({ done: 3, left: 0 });
  });

  it('taking the exclusion back counts ben again without breaking a count, and offers nothing more', async () => {
    expect((await exclude(`members/${labelers.ben!.id}`, false)).status).toBe(200);
    // Taken back twice: a repeated switch must not count anything twice.
    expect((await exclude(`members/${labelers.ben!.id}`, false)).status).toBe(200);
    expect(await progress()).toMatchObject({ rankingsDone: 6, rankingsNeeded: 6, completePrompts: 3 });
    expect(await counters()).toEqual(['p1', 'p2', 'p3'].map((ext) => ({ ext, kept: 3, taken: 3, open: 0 })));
    expect((await labelers.ben!.client.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(204);
    expect(await rankAll('dee')).toEqual([]);
  });

  it('excluding single rankings: below R counted the prompt goes to dee; counting them again leaves every count true', async () => {
    const rankingOf = async (ext: string, name: string) => ((await reviewOf(ext)).rankings as { rankingId: number; username: string }[]).find((r) => r.username === name)!.rankingId;
    const ana1 = await rankingOf('p1', 'ana');
    const cy1 = await rankingOf('p1', 'cy');
    // Three counted rankings, one excluded: still two, still complete, nobody offered it.
    expect((await exclude(`rankings/${ana1}`, true, 'clicked through')).status).toBe(200);
    expect((await exclude(`rankings/${ana1}`, true, 'clicked through')).status).toBe(200);
    expect(await rankAll('dee')).toEqual([]);
    expect((await exclude(`rankings/${cy1}`, true, 'clicked through')).status).toBe(200);
    expect(await progress()).toMatchObject({ rankingsDone: 5, completePrompts: 2 });
    expect(await rankAll('dee')).toEqual(['p1']);
    // ana and cy ranked p1 already: their own excluded rankings do not make them rank it twice.
    expect(await rankAll('ana')).toEqual([]);
    expect(await progress()).toMatchObject({ rankingsDone: 6, completePrompts: 3 });

    expect((await exclude(`rankings/${ana1}`, false)).status).toBe(200);
    expect((await exclude(`rankings/${cy1}`, false)).status).toBe(200);
    expect(await counters()).toEqual([
      { ext: 'p1', kept: 4, taken: 4, open: 0 },
      { ext: 'p2', kept: 3, taken: 3, open: 0 },
      { ext: 'p3', kept: 3, taken: 3, open: 0 },
    ]);
    expect(await progress()).toMatchObject({ rankingsDone: 6, rankingsNeeded: 6, completePrompts: 3 });
  });

  it('"send back for more labels" says when no labeler can take it, and how many can', async () => {
    // p1: all four labelers ranked it (R = 2, so a fifth place is two extra places plus the one asked for).
    const full = await lead.post(`/api/projects/${projectId}/prompts/${promptIds.p1}/extra-labels`);
    expect(full.status).toBe(200);
    expect(full.body).toEqual({ promptId: promptIds.p1, extraLabelers: 3, openToLabelers: 0 });
    expect(await reviewOf('p1')).toMatchObject({ keptRankings: 4, openToLabelers: 0, extraLabelers: 3 });
    // p2: dee has not ranked it. It holds three rankings since ben counts again (R = 2), so one more is a fourth.
    const open = await lead.post(`/api/projects/${projectId}/prompts/${promptIds.p2}/extra-labels`);
    expect(open.body).toEqual({ promptId: promptIds.p2, extraLabelers: 2, openToLabelers: 1 });
    // Wanted: p1 5, p2 4, p3 2; p3 is the only one complete.
    expect(await progress()).toMatchObject({ rankingsNeeded: 11, rankingsDone: 4 + 3 + 2, completePrompts: 1 });
    expect(await rankAll('dee')).toEqual(['p2']);
    expect(await reviewOf('p2')).toMatchObject({ keptRankings: 4, openToLabelers: 0 });
    expect(await progress()).toMatchObject({ rankingsDone: 4 + 4 + 2, completePrompts: 2 });
  });
});

describe('an excluded labeler holding a task', () => {
  it('their lease ends with the exclusion, the place goes to someone else, and their submit is refused as excluded', async () => {
    const s = await startTestServer();
    try {
      const created = await s.admin.post('/api/projects', { name: 'lease', responsesPerPrompt: 2, labelersPerPrompt: 1 });
      const pid = created.body.project.id as number;
      expect((await s.admin.post(`/api/projects/${pid}/import`, jsonl([{ id: 'q', prompt: 'Only question?', responses: ['x', 'y'] }]))).status).toBe(200);
      const eve = await userClient(s, 'eve');
      const fay = await userClient(s, 'fay');
      for (const u of [eve, fay]) await s.admin.post(`/api/projects/${pid}/members`, { userId: u.id });
      const task = await eve.client.post(`/api/projects/${pid}/tasks/next`);
      expect(task.status).toBe(200);
      expect((await fay.client.post(`/api/projects/${pid}/tasks/next`)).status).toBe(204);
      expect((await s.admin.post(`/api/projects/${pid}/members/${eve.id}/exclusion`, { excluded: true, reason: 'test account' })).status).toBe(200);
      expect((await s.admin.get(`/api/projects/${pid}`)).body.project.progress.openAssignments).toBe(0);

      const a = task.body.assignment as Assignment;
      const late = await eve.client.post(`/api/assignments/${a.id}/submit`, { ranking: a.responses.map((r) => [r.id]) });
      expect(late.status).toBe(403);
      expect(late.body.error.code).toBe('excluded');
      const offered = await fay.client.post(`/api/projects/${pid}/tasks/next`);
      expect(offered.status).toBe(200);
      expect(offered.body.assignment.prompt.externalId).toBe('q');
    } finally {
      await s.stop();
    }
  });
});
