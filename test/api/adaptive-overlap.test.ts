import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';

// Adaptive overlap: R = 2, cap 4, minKendallW 0.5. A prompt its two labelers agree on is done at two; one they rank
// in reverse (W = 0) is offered to a third and a fourth labeler while W stays low, and never to a fifth.

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

const line = (id: string) => ({ id, prompt: `Question ${id}?`, responses: ['a', 'b', 'c'].map((x) => `${id}-${x}`) });
/** The task's responses by their letter (a, b, c): best first, or reversed. */
const ordered = (a: Assignment, reverse: boolean): number[][] => {
  const tiers = [...a.responses].sort((x, y) => x.text.localeCompare(y.text)).map((r) => [r.id]);
  return reverse ? tiers.reverse() : tiers;
};

async function project(name: string, settings: Record<string, unknown>, ids: string[]): Promise<number> {
  const created = await lead.post('/api/projects', { name, responsesPerPrompt: 3, labelersPerPrompt: 2, goldRate: 0, ...settings });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.project.id as number;
  expect((await lead.post(`/api/projects/${id}/import`, jsonl(ids.map(line)))).status).toBe(200);
  return id;
}

async function members(projectId: number, names: string[]): Promise<ApiClient[]> {
  const out: ApiClient[] = [];
  for (const name of names) {
    const u = await userClient(server, name);
    expect((await lead.post(`/api/projects/${projectId}/members`, { userId: u.id })).status).toBe(201);
    out.push(u.client);
  }
  return out;
}

/** One task for this labeler, ranked best first unless `reverse` says otherwise; the prompt's id, or null for 204. */
async function rankOne(client: ApiClient, projectId: number, reverse: (ext: string) => boolean): Promise<string | null> {
  const next = await client.post(`/api/projects/${projectId}/tasks/next`);
  if (next.status === 204) return null;
  expect(next.status).toBe(200);
  const a = next.body.assignment as Assignment;
  expect((await client.post(`/api/assignments/${a.id}/submit`, { ranking: ordered(a, reverse(a.prompt.externalId)) })).status).toBe(201);
  return a.prompt.externalId;
}

describe('adaptive overlap', () => {
  it('offers one more labeler only where W is low, until the cap, and the dashboard counts the extra labels', async () => {
    const id = await project('adaptive', { maxLabelersPerPrompt: 4, minKendallW: 0.5 }, ['agree', 'split']);
    const [ana, ben, cy, dee, eve] = await members(id, ['ana', 'ben', 'cy', 'dee', 'eve']);
    expect([await rankOne(ana!, id, () => false), await rankOne(ana!, id, () => false)].sort()).toEqual(['agree', 'split']);
    // ben agrees on "agree" and reverses "split": W(split) = 0, W(agree) = 1.
    expect([await rankOne(ben!, id, (e) => e === 'split'), await rankOne(ben!, id, (e) => e === 'split')].sort()).toEqual(['agree', 'split']);
    // cy is offered "split" alone; with ana's order again W = 1/9, still low, so dee gets it too (W = 1/4).
    expect(await rankOne(cy!, id, () => false)).toBe('split');
    expect(await rankOne(cy!, id, () => false)).toBeNull();
    expect(await rankOne(dee!, id, () => false)).toBe('split');
    // Four rankings: the cap, whatever W says.
    expect(await rankOne(eve!, id, () => false)).toBeNull();
    const quality = (await lead.get(`/api/projects/${id}/quality`)).body.quality;
    expect(quality).toMatchObject({ extraLabelsGranted: 2, extraLabelsSpent: 2, extraPrompts: [{ externalId: 'split', extra: 2, rankings: 4 }] });
    expect((await lead.get(`/api/projects/${id}`)).body.project.progress).toMatchObject({ rankingsDone: 6, rankingsNeeded: 6, completePrompts: 2 });
  });

  it('stops as soon as W reaches the threshold', async () => {
    const id = await project('adaptive stops', { maxLabelersPerPrompt: 5, minKendallW: 0.1 }, ['split']);
    const [ana, ben, cy, dee] = await members(id, ['fay', 'gil', 'hana', 'ivo']);
    await rankOne(ana!, id, () => false);
    await rankOne(ben!, id, () => true);
    // W = 0 < 0.1: a third; with the third agreeing with the first W = 1/9 ≥ 0.1, so no fourth.
    expect(await rankOne(cy!, id, () => false)).toBe('split');
    expect(await rankOne(dee!, id, () => false)).toBeNull();
    expect((await lead.get(`/api/projects/${id}/quality`)).body.quality).toMatchObject({ extraLabelsGranted: 1, extraLabelsSpent: 1 });
  });

  it('off (the default cap of R): a disputed prompt keeps R labelers', async () => {
    const id = await project('fixed', {}, ['split']);
    expect((await lead.get(`/api/projects/${id}`)).body.project.maxLabelersPerPrompt).toBe(2);
    const [ana, ben, cy] = await members(id, ['jan', 'kai', 'lin']);
    await rankOne(ana!, id, () => false);
    await rankOne(ben!, id, () => true);
    expect(await rankOne(cy!, id, () => false)).toBeNull();
    expect((await lead.get(`/api/projects/${id}/quality`)).body.quality).toMatchObject({ extraLabelsGranted: 0, extraPrompts: [] });
  });

  it('many labelers asking at once never put more than the cap on a prompt', async () => {
    const id = await project('race', { maxLabelersPerPrompt: 4, minKendallW: 0.9 }, ['split']);
    const crowd = await members(id, Array.from({ length: 10 }, (_, i) => `racer${i}`));
    const [first, second, ...rest] = crowd;
    await rankOne(first!, id, () => false);
    await rankOne(second!, id, () => true);
    let waiting = rest;
    for (const expected of [1, 1, 0]) {
      // Every remaining labeler asks at the same moment: exactly as many get the prompt as places were granted.
      const answers = await Promise.all(waiting.map((c) => c.post(`/api/projects/${id}/tasks/next`)));
      const winners = waiting.filter((_, i) => answers[i]!.status === 200);
      expect(answers.filter((a) => a.status !== 200 && a.status !== 204)).toEqual([]);
      expect(winners).toHaveLength(expected);
      for (const [i, c] of waiting.entries()) {
        if (answers[i]!.status !== 200) continue;
        const a = answers[i]!.body.assignment as Assignment;
        // W stays below 0.9 (1/9 with three, 1/4 with four), so only the cap stops the places.
        expect((await c.post(`/api/assignments/${a.id}/submit`, { ranking: ordered(a, false) })).status).toBe(201);
      }
      waiting = waiting.filter((c) => !winners.includes(c));
    }
    const row = await server.store.engine.get<{ taken: number; rankings: number }>(
      'SELECT p.taken, (SELECT count(*) FROM rankings r WHERE r.prompt_id = p.id) AS rankings FROM prompts p WHERE p.project_id = ?',
      id,
    );
    expect({ taken: Number(row?.taken), rankings: Number(row?.rankings) }).toEqual({ taken: 4, rankings: 4 });
    // Room for a loaded machine: three rounds of ten concurrent requests, each a write transaction.
  }, 240_000);
});

describe('quality settings', () => {
  let id: number;
  let labeler: ApiClient;

  beforeAll(async () => {
    id = await project('settings', {}, ['p1']);
    labeler = (await members(id, ['mo']))[0]!;
  });

  it('a project starts with the documented defaults', async () => {
    expect((await lead.get(`/api/projects/${id}`)).body.project).toMatchObject({ goldRate: 0, goldMinTasks: 5, goldMinTauB: 0.4, maxLabelersPerPrompt: 2, minKendallW: 0.5, goldPrompts: 0 });
    const plain = await lead.post('/api/projects', { name: 'plain', responsesPerPrompt: 2, labelersPerPrompt: 3 });
    expect(plain.body.project).toMatchObject({ goldRate: 0.1, maxLabelersPerPrompt: 3 });
  });

  it('PATCH by the lead changes them, audited; a labeler may not', async () => {
    expect((await labeler.request('PATCH', `/api/projects/${id}`, { goldRate: 0.2 })).status).toBe(403);
    const res = await lead.request('PATCH', `/api/projects/${id}`, { goldRate: 0.2, maxLabelersPerPrompt: 5, minKendallW: 0.3, goldMinTasks: 3, goldMinTauB: 0.1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.project).toMatchObject({ goldRate: 0.2, maxLabelersPerPrompt: 5, minKendallW: 0.3, goldMinTasks: 3, goldMinTauB: 0.1, labelersPerPrompt: 2 });
    expect((await lead.get(`/api/projects/${id}`)).body.project).toMatchObject({ goldRate: 0.2, maxLabelersPerPrompt: 5 });
    expect((await server.admin.get('/api/audit?action=project.settings')).body.entries[0]).toMatchObject({ target: String(id), detail: expect.objectContaining({ goldRate: 0.2 }) });
  });

  it('refuses bad settings with a 400 that names the field, and changes nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ maxLabelersPerPrompt: 1 }, 'maxLabelersPerPrompt', /must be at least labelersPerPrompt R \(2\)/],
      [{ goldRate: 0.6 }, 'goldRate', /at most 0\.5/],
      [{ goldRate: -0.1 }, 'goldRate', /at least 0/],
      [{ goldMinTauB: 2 }, 'goldMinTauB', /at most 1/],
      [{ minKendallW: -1 }, 'minKendallW', /at least 0/],
      [{ goldMinTasks: 0 }, 'goldMinTasks', /at least 1/],
      [{ goldMinTasks: 2.5 }, 'goldMinTasks', /./],
      [{ labelersPerPrompt: 9 }, '', /./],
    ];
    for (const [body, field, message] of cases) {
      const res = await lead.request('PATCH', `/api/projects/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      if (field) expect(res.body.error.issues[0]).toMatchObject({ path: [field], message: expect.stringMatching(message) });
    }
    expect((await lead.get(`/api/projects/${id}`)).body.project).toMatchObject({ goldRate: 0.2, maxLabelersPerPrompt: 5, goldMinTasks: 3 });
    const created = await lead.post('/api/projects', { name: 'bad cap', responsesPerPrompt: 3, labelersPerPrompt: 3, maxLabelersPerPrompt: 2 });
    expect(created.status).toBe(400);
    expect(created.body.error.issues[0]).toMatchObject({ path: ['maxLabelersPerPrompt'] });
  });
});
