import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server.ts';
import { accurateJudge, firstShownJudge, garbageAnswer } from '../support/fake-judges.ts';
import type { GenerationJob } from '../../shared/sampling.ts';
import type { Judge, JudgeAgreement, JudgeFailure } from '../../shared/judges.ts';
import type { PromptResult } from '../../shared/results.ts';

type Assignment = { id: number; responses: { id: number; text: string }[] };

const prompts = 8;
let server: TestServer;
let fake: FakeOpenAi;
let lead: ApiClient;
let projectId: number;
const judges: Record<string, Judge> = {};
const jobs: Record<string, GenerationJob> = {};

const qualityOf = (text: string) => Number(/quality (\d+)/.exec(text)?.[1]);

async function waitForJob(id: number, until = (j: GenerationJob) => j.status !== 'queued' && j.status !== 'running'): Promise<GenerationJob> {
  for (;;) {
    const res = await lead.get(`/api/generation-jobs/${id}`);
    expect(res.status).toBe(200);
    const job = res.body.job as GenerationJob;
    if (until(job)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function runJudge(name: string): Promise<GenerationJob> {
  const started = await lead.post(`/api/projects/${projectId}/judges/${judges[name]?.id}/runs`, { concurrency: 3 });
  expect(started.status).toBe(201);
  return waitForJob(started.body.job.id as number);
}

async function exportText(query = ''): Promise<string> {
  const res = await lead.get(`/api/projects/${projectId}/export?format=trl${query}`);
  expect(res.status).toBe(200);
  return res.body as string;
}
const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { podium: { sources: string[]; labelers: number } });

beforeAll(async () => {
  fake = await startFakeOpenAi({
    answer: ({ model, prompt }) => (model === 'accurate' ? accurateJudge(prompt) : model === 'first-shown' ? firstShownJudge(prompt) : model === 'garbage' ? garbageAnswer : accurateJudge(prompt)),
  });
  server = await startTestServer();
  lead = (await userClient(server, 'lena', 'lead')).client;
  const created = await lead.post('/api/projects', { name: 'judged', guidelines: 'Prefer the higher quality.', responsesPerPrompt: 4, labelersPerPrompt: 2 });
  projectId = created.body.project.id as number;
  // Each prompt stores its four responses in a different order, so "shown first" and "best" are not the same response.
  const lines = Array.from({ length: prompts }, (_, i) => ({
    id: `q${i}`,
    prompt: `Question ${i}?`,
    responses: [0, 1, 2, 3].map((j) => {
      const quality = (i + j) % 4;
      return { text: `Reply ${j} to question ${i}, of quality ${quality}.`, model: `m-q${quality}` };
    }),
  }));
  expect((await lead.post(`/api/projects/${projectId}/import`, jsonl(lines))).status).toBe(200);
  expect((await lead.put(`/api/projects/${projectId}/sampling`, { endpoint: { baseUrl: fake.baseUrl, apiKey: 'sampling-secret' }, policies: [{ model: 'sft', count: 4 }] })).status).toBe(200);
  // Two labelers rank every prompt by quality, best first.
  for (const name of ['ana', 'ben']) {
    const labeler = await userClient(server, name);
    expect((await lead.post(`/api/projects/${projectId}/members`, { userId: labeler.id })).status).toBe(201);
    for (;;) {
      const next = await labeler.client.post(`/api/projects/${projectId}/tasks/next`);
      if (next.status === 204) break;
      const a = next.body.assignment as Assignment;
      const ranking = [...a.responses].sort((x, y) => qualityOf(y.text) - qualityOf(x.text)).map((r) => [r.id]);
      expect((await labeler.client.post(`/api/assignments/${a.id}/submit`, { ranking })).status).toBe(201);
    }
  }
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('adding judges', () => {
  it('refuses bad input with the zod issues, and a lead naming a key variable', async () => {
    const noModel = await lead.post(`/api/projects/${projectId}/judges`, { name: 'x' });
    expect(noModel.status).toBe(400);
    expect(JSON.stringify(noModel.body.error.issues)).toContain('model');
    const blind = await lead.post(`/api/projects/${projectId}/judges`, { name: 'x', model: 'm', template: 'Rank them: {{criteria}}' });
    expect(blind.status).toBe(400);
    expect(JSON.stringify(blind.body)).toContain('{{responses}}');
    const env = await lead.post(`/api/projects/${projectId}/judges`, { name: 'x', model: 'm', endpoint: { baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'PODIUM_KEY_JUDGE' } });
    expect(env.status).toBe(403);
    expect((await lead.get(`/api/projects/${projectId}/judges`)).body.judges).toEqual([]);
  });

  it('defaults to the sampling endpoint, keeps keys to the URL they came with, and never returns a key', async () => {
    for (const [name, model] of [['Accurate', 'accurate'], ['First-shown', 'first-shown'], ['Garbage', 'garbage']] as const) {
      const res = await lead.post(`/api/projects/${projectId}/judges`, { name, model, temperature: 0 });
      expect(res.status).toBe(201);
      judges[model] = res.body.judge as Judge;
    }
    expect(judges.accurate).toMatchObject({ bothOrders: true, endpoint: { baseUrl: null, hasApiKey: false }, temperature: 0, customTemplate: false });
    expect(judges.accurate?.template).toContain('{{responses}}');
    // Another spelling of the host is another endpoint: the sampling key must not travel there.
    const elsewhere = fake.baseUrl.replace('127.0.0.1', 'localhost');
    const own = await lead.post(`/api/projects/${projectId}/judges`, { name: 'Elsewhere', model: 'elsewhere', endpoint: { baseUrl: elsewhere }, bothOrders: false });
    expect(own.status).toBe(201);
    expect(own.body.judge.endpoint).toEqual({ baseUrl: elsewhere, hasApiKey: false, apiKeyEnv: null });
    judges.elsewhere = own.body.judge as Judge;
    const keyed = await lead.post(`/api/projects/${projectId}/judges`, { name: 'Keyed', model: 'keyed', endpoint: { baseUrl: elsewhere, apiKey: 'judge-secret' }, bothOrders: false });
    expect(keyed.body.judge.endpoint.hasApiKey).toBe(true);
    judges.keyed = keyed.body.judge as Judge;
    expect((await lead.post(`/api/projects/${projectId}/judges`, { name: 'Keyed', model: 'again' })).status).toBe(409);
    const list = await lead.get(`/api/projects/${projectId}/judges`);
    expect(list.body.judges).toHaveLength(5);
    expect(JSON.stringify(list.body)).not.toMatch(/secret/);
  });
});

describe('judge runs', () => {
  it('rank every prompt in both display orders as a job with the generation-job contract', async () => {
    const before = await exportText();
    jobs.accurate = await runJudge('accurate');
    expect(jobs.accurate).toMatchObject({ kind: 'judge', judgeId: judges.accurate?.id, status: 'done', total: prompts * 2, done: prompts * 2, failed: 0 });
    const asked = fake.requests.filter((r) => r.body.model === 'accurate');
    expect(asked).toHaveLength(prompts * 2);
    // the judge sees the guidelines, the criterion, the conversation and the four responses under letters
    const content = String((asked[0]?.body.messages as { content: string }[])[0]?.content);
    for (const part of ['Prefer the higher quality.', 'overall (Overall)', 'Question', '<response A>', '<response D>']) expect(content).toContain(part);
    expect(asked[0]?.body.temperature).toBe(0);
    // the sampling endpoint's key goes with requests to the sampling endpoint
    expect(asked[0]?.headers.authorization).toBe('Bearer sampling-secret');
    // SSE of a finished run: its progress, then the end
    const events = await lead.get(`/api/generation-jobs/${jobs.accurate.id}/events`);
    expect(String(events.body)).toContain('event: end');
    // the judge's rankings are not human labels: the default export is byte for byte what it was
    expect(await exportText()).toBe(before);
    expect((await lead.get(`/api/projects/${projectId}/judges`)).body.judges[0]).toMatchObject({ judgedPrompts: prompts, failures: 0, latestJobId: jobs.accurate.id });
  });

  it('send each key only where it was stored', async () => {
    expect((await runJudge('elsewhere')).status).toBe('done');
    expect((await runJudge('keyed')).status).toBe('done');
    const to = (model: string) => fake.requests.filter((r) => r.body.model === model);
    expect(to('elsewhere')).toHaveLength(prompts);
    expect(to('elsewhere').every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(to('keyed').every((r) => r.headers.authorization === 'Bearer judge-secret')).toBe(true);
  });

  it('retry an unreadable answer once, then count it failed with the text kept for the lead', async () => {
    jobs.garbage = await runJudge('garbage');
    expect(jobs.garbage).toMatchObject({ status: 'failed', total: prompts * 2, done: 0, failed: prompts * 2 });
    expect(fake.requests.filter((r) => r.body.model === 'garbage')).toHaveLength(prompts * 2 * 2);
    expect(jobs.garbage.errors[0]?.message).toContain('could not be read');
    const failures = await lead.get(`/api/projects/${projectId}/judges/${judges.garbage?.id}/failures`);
    expect(failures.status).toBe(200);
    const list = failures.body.failures as JudgeFailure[];
    expect(list).toHaveLength(prompts * 2);
    expect(list[0]).toMatchObject({ answer: garbageAnswer, jobId: jobs.garbage.id, error: expect.stringContaining('no ranking') });
    expect(new Set(list.map((f) => f.displayIndex))).toEqual(new Set([0, 1]));
  });

  it('a second run only does what is missing, and one run per judge at a time', async () => {
    const again = await runJudge('accurate');
    expect(again).toMatchObject({ status: 'done', total: 0, done: 0 });
  });

  it('cancel stops a run', async () => {
    const res = await lead.post(`/api/projects/${projectId}/judges`, { name: 'Slow', model: 'slow' });
    const slow = res.body.judge as Judge;
    fake.set({ latencyMs: 150 });
    try {
      const started = await lead.post(`/api/projects/${projectId}/judges/${slow.id}/runs`, { concurrency: 1 });
      expect(started.status).toBe(201);
      const id = started.body.job.id as number;
      expect((await lead.post(`/api/projects/${projectId}/judges/${slow.id}/runs`, {})).status).toBe(409);
      await waitForJob(id, (j) => j.done >= 2);
      const cancelled = await lead.post(`/api/generation-jobs/${id}/cancel`);
      expect(cancelled.body.job.status).toBe('cancelled');
      const settled = await waitForJob(id, (j) => j.status === 'cancelled');
      expect(settled.done).toBeLessThan(prompts * 2);
    } finally {
      fake.set({ latencyMs: 0 });
    }
  });
});

describe('judges beside the humans', () => {
  it('the agreement report measures each judge against the human consensus', async () => {
    expect((await runJudge('first-shown')).status).toBe('done');
    const res = await lead.get(`/api/projects/${projectId}/agreement`);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries((res.body.judges as JudgeAgreement[]).map((j) => [j.name, j]));
    // the human figures count the two labelers only
    expect(res.body.rankings).toBe(prompts * 2);
    expect(byName.Accurate).toMatchObject({ tauBVsHumans: 1, pairwiseAgreementVsHumans: 1, positionConsistency: 1, prompts, disagreements: [] });
    const biased = byName['First-shown']!;
    expect(biased.prompts).toBe(prompts);
    expect(biased.positionConsistency).toBeLessThan(0.8);
    expect(biased.tauBVsHumans).toBeLessThan(0.8);
    expect(biased.disagreements.length).toBeGreaterThan(0);
    expect(biased.disagreements[0]?.externalId).toMatch(/^q\d$/);
    const taus = biased.disagreements.map((d) => d.tauB);
    expect(taus).toEqual([...taus].sort((a, b) => a - b));
    expect(byName.Garbage).toMatchObject({ tauBVsHumans: null, positionConsistency: null, prompts: 0 });
    // one display order only: no position consistency to measure
    expect(byName.Elsewhere?.positionConsistency).toBeNull();
  });

  it('results, export and leaderboard take sources; judge rankings only when asked for', async () => {
    const human = await lead.get(`/api/projects/${projectId}/results?limit=1`);
    expect(human.body.sources).toEqual(['human']);
    expect((human.body.results as PromptResult[])[0]?.judgeRankings).toBeUndefined();
    const judged = await lead.get(`/api/projects/${projectId}/results?limit=1&sources=judge`);
    const first = (judged.body.results as PromptResult[])[0]!;
    expect(first.rankings).toEqual([]);
    expect(first.judgeRankings?.map((j) => j.name).sort()).toEqual(['Accurate', 'Elsewhere', 'First-shown', 'Keyed', 'Slow'].filter((n) => first.judgeRankings?.some((j) => j.name === n)).sort());
    expect(first.judgeRankings?.find((j) => j.name === 'Accurate')?.orders).toHaveLength(2);

    const humanLines = lines(await exportText());
    expect(humanLines.length).toBeGreaterThan(0);
    expect(humanLines.every((l) => l.podium.sources.join() === 'human' && l.podium.labelers === 2)).toBe(true);
    const judgeLines = lines(await exportText('&sources=judge'));
    expect(judgeLines.length).toBeGreaterThan(0);
    expect(judgeLines.every((l) => l.podium.sources.join() === 'judge')).toBe(true);
    const both = lines(await exportText('&sources=judge,human'));
    expect(both.every((l) => l.podium.sources.join() === 'human,judge')).toBe(true);

    // The dataset card says whose rankings the pairs come from.
    expect(String((await lead.get(`/api/projects/${projectId}/export/card`)).body)).toContain('| rankings from | human labelers |');
    expect(String((await lead.get(`/api/projects/${projectId}/export/card?sources=human,judge`)).body)).toContain('| rankings from | human labelers and AI judges |');

    const board = await lead.get(`/api/projects/${projectId}/leaderboard?bootstrap=0&sources=judge`);
    expect(board.status).toBe(200);
    expect(board.body.sources).toEqual(['judge']);
    expect(board.body.entries[0]?.name).toBe('m-q3');
    expect((await lead.get(`/api/projects/${projectId}/leaderboard?bootstrap=0`)).body.sources).toEqual(['human']);

    const bad = await lead.get(`/api/projects/${projectId}/export?sources=robots`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('sources');
  });
});
