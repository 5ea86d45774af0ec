import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

// Gold rankings are tests of their labelers, never data. Two labelers rank four prompts; then a lead makes p1 gold.
// Every reader must lose p1's rankings (and nothing else), and get them back when the gold is cleared.

type Assignment = { id: number; prompt: { id: number; externalId: string }; responses: { id: number; text: string }[] };

let server: TestServer;
let lead: ApiClient;
let projectId: number;
const promptIds: Record<string, number> = {};
const responsesOf: Record<string, number[]> = {};
const models = ['m1', 'm2', 'm3'];

// ana and ben agree on p2..p4 (m1 > m2 > m3); on p1 ben puts m2 first, so p1 moves W and still exports two pairs.
const rankingFor = (name: string, a: Assignment): number[][] => {
  const [m1, m2, m3] = [...a.responses].sort((x, y) => x.text.localeCompare(y.text)).map((r) => [r.id]);
  return name === 'ben' && a.prompt.externalId === 'p1' ? [m2!, m1!, m3!] : [m1!, m2!, m3!];
};

beforeAll(async () => {
  server = await startTestServer();
  lead = (await userClient(server, 'lea', 'lead')).client;
  const created = await lead.post('/api/projects', { name: 'never counted', responsesPerPrompt: 3, labelersPerPrompt: 2, goldRate: 0 });
  projectId = created.body.project.id;
  const lines = ['p1', 'p2', 'p3', 'p4'].map((id) => ({ id, prompt: `Question ${id}?`, responses: models.map((m) => ({ text: `${id} by ${m}`, model: m })) }));
  expect((await lead.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
  for (const name of ['ana', 'ben']) {
    const u = await userClient(server, name);
    await lead.post(`/api/projects/${projectId}/members`, { userId: u.id });
    for (let next = await u.client.post(`/api/projects/${projectId}/tasks/next`); next.status === 200; next = await u.client.post(`/api/projects/${projectId}/tasks/next`)) {
      const a = next.body.assignment as Assignment;
      promptIds[a.prompt.externalId] = a.prompt.id;
      responsesOf[a.prompt.externalId] = [...a.responses].sort((x, y) => x.text.localeCompare(y.text)).map((r) => r.id);
      expect((await u.client.post(`/api/assignments/${a.id}/submit`, { ranking: rankingFor(name, a) })).status).toBe(201);
    }
  }
});
afterAll(async () => {
  await server?.stop();
});

/** What every reader says about the project, reduced to what p1's rankings would change. */
async function readers() {
  const results = (await lead.get(`/api/projects/${projectId}/results?limit=50`)).body;
  const review = (await lead.get(`/api/projects/${projectId}/review?limit=50`)).body;
  const p1Review = (await lead.get(`/api/projects/${projectId}/review/${promptIds.p1}`)).body.prompt;
  const agreement = (await lead.get(`/api/projects/${projectId}/agreement?bootstrap=0`)).body;
  const board = (await lead.get(`/api/projects/${projectId}/leaderboard?bootstrap=0`)).body;
  const pairs = (await lead.get(`/api/projects/${projectId}/export?format=trl&metadata=true`)).body as string;
  const rankings = (await lead.get(`/api/projects/${projectId}/export?format=rankings`)).body as string;
  const cli = await runCli(['agreement', '--project', String(projectId)], server.dbEnv);
  const progress = (await lead.get(`/api/projects/${projectId}`)).body.project.progress;
  return {
    results: { total: results.total, prompts: results.results.map((r: { externalId: string }) => r.externalId) },
    review: review.rows.map((r: { externalId: string; counted: number }) => `${r.externalId}:${r.counted}`),
    p1Consensus: p1Review.consensus.length,
    agreement: { prompts: agreement.prompts, rankings: agreement.rankings, perPrompt: Object.keys(agreement.kendallW.perPrompt).length, w: agreement.kendallW.mean },
    cliAgreement: { prompts: JSON.parse(cli.stdout).prompts, rankings: JSON.parse(cli.stdout).rankings },
    leaderboard: board.entries.reduce((n: number, e: { comparisons: number }) => n + e.comparisons, 0),
    exportMentionsP1: pairs.includes('Question p1?'),
    pairLines: pairs.trim().split('\n').length,
    rankingLines: rankings.trim().split('\n').filter((l) => l.includes('Question p1?') || l.includes('"p1"')).length,
    progress: { prompts: progress.prompts, done: progress.rankingsDone, needed: progress.rankingsNeeded },
  };
}

describe('gold rankings never count', () => {
  it('before: p1 is data in every reader', async () => {
    const r = await readers();
    expect(r.results).toEqual({ total: 4, prompts: ['p1', 'p2', 'p3', 'p4'] });
    expect(r.review).toContain('p1:2');
    expect(r.p1Consensus).toBeGreaterThan(0);
    expect(r.agreement).toMatchObject({ prompts: 4, rankings: 8, perPrompt: 4 });
    expect(r.cliAgreement).toEqual({ prompts: 4, rankings: 8 });
    expect(r.leaderboard).toBe(2 * 3 * 8);
    expect(r.exportMentionsP1).toBe(true);
    expect(r.rankingLines).toBeGreaterThan(0);
    expect(r.progress).toEqual({ prompts: 4, done: 8, needed: 8 });
  });

  it('after PUT gold on p1: no results, consensus, agreement, leaderboard, export or places of p1', async () => {
    const before = await readers();
    const p1 = responsesOf.p1!;
    expect((await lead.put(`/api/projects/${projectId}/prompts/${promptIds.p1}/gold`, { ranking: p1.map((id) => [id]) })).status).toBe(200);
    const r = await readers();
    expect(r.results).toEqual({ total: 3, prompts: ['p2', 'p3', 'p4'] });
    expect(r.review).toContain('p1:0');
    expect(r.p1Consensus).toBe(0);
    expect(r.agreement).toMatchObject({ prompts: 3, rankings: 6, perPrompt: 3, w: 1 });
    expect(r.cliAgreement).toEqual({ prompts: 3, rankings: 6 });
    expect(r.leaderboard).toBe(2 * 3 * 6);
    expect(r.exportMentionsP1).toBe(false);
    expect(r.pairLines).toBeLessThan(before.pairLines);
    expect(r.rankingLines).toBe(0);
    expect(r.progress).toEqual({ prompts: 3, done: 6, needed: 6 });
    // The rankings made before it became gold are not gold answers either: nobody's score is built on the old labels.
    const labelers = (await lead.get(`/api/projects/${projectId}/agreement?bootstrap=0`)).body.labelers as { gold: { tasks: number } }[];
    expect(labelers.map((l) => l.gold.tasks)).toEqual([0, 0]);
  });

  it('after DELETE gold: p1 counts again, everywhere', async () => {
    expect((await lead.request('DELETE', `/api/projects/${projectId}/prompts/${promptIds.p1}/gold`)).status).toBe(200);
    const r = await readers();
    expect(r.results.total).toBe(4);
    expect(r.agreement).toMatchObject({ prompts: 4, rankings: 8 });
    expect(r.leaderboard).toBe(2 * 3 * 8);
    expect(r.exportMentionsP1).toBe(true);
    expect(r.progress).toEqual({ prompts: 4, done: 8, needed: 8 });
  });
});
