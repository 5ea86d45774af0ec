import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { twoCriteriaJudge } from '../support/fake-judges.ts';
import type { GenerationJob } from '../../shared/sampling.ts';
import type { PromptResult } from '../../shared/results.ts';

// A two-criterion project ranked only by an AI judge that puts the best response first on `helpful` and last on
// `safe`. Response j of prompt i has quality (i + j) % 4, so on each prompt the four qualities 0..3 appear once and the
// judge's mean rank of a response of quality q is 4 - q on helpful and q + 1 on safe. With weights 3 and 1, combined is
// (3·(4 - q) + (q + 1)) / 4 = (13 - 2q) / 4: 1.75 for the best, 3.25 for the worst.
const criteria = [
  { key: 'helpful', name: 'Helpful', description: 'Does it answer?', weight: 3 },
  { key: 'safe', name: 'Safe', description: 'Could it hurt anyone?', weight: 1 },
];
const prompts = 5;
let server: TestServer;
let fake: FakeOpenAi;
let projectId: number;

const qualityOf = (text: string) => Number(/quality (\d+)/.exec(text)?.[1]);
const get = (path: string) => server.admin.get(`/api/projects/${projectId}/${path}`);
type Line = { chosen: string; rejected: string; podium: { criterion?: string; sources: string[]; labelers: number } };
const exportLines = async (query: string): Promise<Line[]> => {
  const res = await get(`export?format=trl&${query}`);
  expect(res.status, String(res.body)).toBe(200);
  return (res.body as string).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
};

async function run(judgeId: number): Promise<GenerationJob> {
  const started = await server.admin.post(`/api/projects/${projectId}/judges/${judgeId}/runs`, { concurrency: 2 });
  expect(started.status).toBe(201);
  for (;;) {
    const job = (await server.admin.get(`/api/generation-jobs/${started.body.job.id}`)).body.job as GenerationJob;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function addJudge(name: string): Promise<number> {
  const res = await server.admin.post(`/api/projects/${projectId}/judges`, { name, model: 'two-criteria', temperature: 0, bothOrders: false });
  expect(res.status).toBe(201);
  return res.body.judge.id as number;
}

beforeAll(async () => {
  fake = await startFakeOpenAi({ answer: ({ prompt }) => twoCriteriaJudge(prompt, ['helpful', 'safe']) });
  server = await startTestServer();
  const created = await server.admin.post('/api/projects', { name: 'judged by criterion', responsesPerPrompt: 4, labelersPerPrompt: 2, goldRate: 0, criteria });
  expect(created.status).toBe(201);
  projectId = created.body.project.id as number;
  const lines = Array.from({ length: prompts }, (_, i) => ({
    id: `q${i}`,
    prompt: `Question ${i}?`,
    responses: [0, 1, 2, 3].map((j) => ({ text: `Reply ${j} to question ${i}, of quality ${(i + j) % 4}.`, model: `m-q${(i + j) % 4}` })),
  }));
  expect((await server.admin.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
  expect((await server.admin.put(`/api/projects/${projectId}/sampling`, { endpoint: { baseUrl: fake.baseUrl, apiKey: 'k' }, policies: [{ model: 'sft', count: 4 }] })).status).toBe(200);
  const job = await run(await addJudge('Two-sided'));
  expect(job).toMatchObject({ status: 'done', total: prompts, done: prompts });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

/** Each result's responses by quality, with the mean rank the page gives them, and the consensus as qualities. */
async function resultsUnder(criterion: string) {
  const res = await get(`results?criterion=${criterion}&sources=judge`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ criterion, sources: ['judge'], total: prompts });
  return (res.body.results as PromptResult[]).map((r) => {
    const quality = new Map(r.responses.map((x) => [x.id, qualityOf(x.text)]));
    return {
      means: Object.fromEntries(r.responses.map((x) => [qualityOf(x.text), x.meanRank])),
      consensus: r.consensus.map((tier) => tier.map((id) => quality.get(id))),
      judge: r.judgeRankings?.map((j) => j.ranking.map((tier) => tier.map((id) => quality.get(id)))),
    };
  });
}

describe('a judged two-criterion project', () => {
  it('criterion=KEY&sources=judge gives that criterion\'s judge order', async () => {
    for (const r of await resultsUnder('safe')) {
      expect(r.consensus).toEqual([[0], [1], [2], [3]]);
      expect(r.judge).toEqual([[[0], [1], [2], [3]]]);
      expect(r.means).toEqual({ 0: 1, 1: 2, 2: 3, 3: 4 });
    }
    for (const r of await resultsUnder('helpful')) {
      expect(r.consensus).toEqual([[3], [2], [1], [0]]);
      expect(r.means).toEqual({ 0: 4, 1: 3, 2: 2, 3: 1 });
    }
    // The humans ranked nothing: under the default source there are no results for either criterion.
    expect((await get('results?criterion=safe')).body.total).toBe(0);
  });

  it('combined weighs the judge\'s per-criterion orders as it weighs a labeler\'s', async () => {
    for (const r of await resultsUnder('combined')) {
      expect(r.means).toEqual({ 0: 3.25, 1: 2.75, 2: 2.25, 3: 1.75 });
      expect(r.consensus).toEqual([[3], [2], [1], [0]]);
      expect(r.judge).toEqual([[[3], [2], [1], [0]]]);
    }
  });

  it('exports and ranks models by the chosen criterion, provenance naming both criterion and sources', async () => {
    const safe = await exportLines('criterion=safe&sources=judge');
    expect(safe).toHaveLength(prompts * 6);
    for (const l of safe) {
      expect(l.podium).toMatchObject({ criterion: 'safe', sources: ['judge'], labelers: 1 });
      expect(qualityOf(l.chosen)).toBeLessThan(qualityOf(l.rejected));
    }
    for (const l of await exportLines('criterion=helpful&sources=judge')) expect(qualityOf(l.chosen)).toBeGreaterThan(qualityOf(l.rejected));
    const board = await get('leaderboard?criterion=safe&sources=judge&bootstrap=0');
    expect(board.status).toBe(200);
    expect(board.body).toMatchObject({ criterion: 'safe', sources: ['judge'] });
    expect((board.body.entries as { name: string }[]).map((e) => e.name)).toEqual(['m-q0', 'm-q1', 'm-q2', 'm-q3']);
    const helpful = await get('leaderboard?criterion=helpful&sources=judge&bootstrap=0');
    expect((helpful.body.entries as { name: string }[]).map((e) => e.name)).toEqual(['m-q3', 'm-q2', 'm-q1', 'm-q0']);
  });

  it('never counts a judge\'s ranking of a gold prompt, and a later run does not judge it', async () => {
    const first = ((await get('results?sources=judge&limit=1')).body.results as PromptResult[])[0];
    if (!first) throw new Error('no judged prompt');
    const gold = await server.admin.put(`/api/projects/${projectId}/prompts/${first.promptId}/gold`, { ranking: first.consensus });
    expect(gold.status).toBe(200);
    expect((await get('results?criterion=safe&sources=judge')).body.total).toBe(prompts - 1);
    expect(await exportLines('criterion=combined&sources=judge')).toHaveLength((prompts - 1) * 6);
    const later = await run(await addJudge('Later'));
    expect(later).toMatchObject({ status: 'done', total: prompts - 1 });
  });
});
