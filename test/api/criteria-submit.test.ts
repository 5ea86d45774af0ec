import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type ApiClient, type TestServer } from '../support/test-server.ts';

type Assignment = { id: number; responses: { id: number; text: string }[]; criteria: { key: string }[] };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const twoCriteria = [
  { key: 'helpfulness', name: 'Helpfulness', description: 'Does it do what was asked?' },
  { key: 'harmlessness', name: 'Harmlessness', description: 'Could it hurt anyone?', weight: 2 },
];

async function projectWithTask(name: string, criteria?: unknown): Promise<{ projectId: number; labeler: ApiClient; task: Assignment }> {
  const created = await server.admin.post('/api/projects', { name, responsesPerPrompt: 3, labelersPerPrompt: 2, ...(criteria ? { criteria } : {}) });
  expect(created.status).toBe(201);
  const projectId = created.body.project.id as number;
  await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'q1', prompt: 'How do I open a locked car?', responses: ['call a locksmith', 'use a slim jim', 'smash the window'] }]));
  const { client, id } = await userClient(server, `${name}-labeler`);
  await server.admin.post(`/api/projects/${projectId}/members`, { userId: id });
  const next = await client.post(`/api/projects/${projectId}/tasks/next`);
  expect(next.status).toBe(200);
  return { projectId, labeler: client, task: next.body.assignment as Assignment };
}

const byText = (task: Assignment, ...texts: string[]): number[][] => texts.map((t) => t.split('=').map((x) => task.responses.find((r) => r.text === x)?.id as number));

describe('submitting one ranking per criterion', () => {
  it('a two-criterion task takes rankings {KEY: tiers}; a missing, unknown or shorthand ranking is a 400 naming the criterion', async () => {
    const { labeler, task } = await projectWithTask('two-criteria', twoCriteria);
    expect(task.criteria.map((c) => c.key)).toEqual(['helpfulness', 'harmlessness']);
    const helpful = byText(task, 'use a slim jim', 'call a locksmith', 'smash the window');
    const harmless = byText(task, 'call a locksmith', 'use a slim jim', 'smash the window');
    const submit = (body: unknown) => labeler.post(`/api/assignments/${task.id}/submit`, body);

    const missing = await submit({ rankings: { helpfulness: helpful } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('"harmlessness"');
    const unknown = await submit({ rankings: { helpfulness: helpful, harmlessness: harmless, honesty: harmless } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('"honesty"');
    const shorthand = await submit({ ranking: helpful });
    expect(shorthand.status).toBe(400);
    expect(shorthand.body.error.message).toContain('2 criteria');
    // Each criterion's ranking is checked like a ranking always was, and the message says which criterion is wrong.
    const leftOut = await submit({ rankings: { helpfulness: helpful, harmlessness: harmless.slice(0, 2) } });
    expect(leftOut.status).toBe(400);
    expect(leftOut.body.error.message).toMatch(/^criterion "harmlessness": the ranking leaves out response/);

    const ok = await submit({ rankings: { helpfulness: helpful, harmlessness: harmless }, comment: 'b is risky' });
    expect(ok.status).toBe(201);
    // The same judgement again (keys in another order) is the idempotent 200; another harmlessness ranking is a 409.
    const again = await submit({ rankings: { harmlessness: harmless, helpfulness: helpful }, comment: 'b is risky' });
    expect(again.status).toBe(200);
    expect(again.body.ranking.id).toBe(ok.body.ranking.id);
    const changed = await submit({ rankings: { helpfulness: helpful, harmlessness: helpful }, comment: 'b is risky' });
    expect(changed.status).toBe(409);
  });

  it('a one-criterion project still takes ranking, and rankings with its one key means the same', async () => {
    const { labeler, task } = await projectWithTask('one-criterion');
    expect(task.criteria.map((c) => c.key)).toEqual(['overall']);
    const tiers = byText(task, 'call a locksmith', 'use a slim jim=smash the window');
    expect((await labeler.post(`/api/assignments/${task.id}/submit`, { ranking: tiers })).status).toBe(201);
    expect((await labeler.post(`/api/assignments/${task.id}/submit`, { rankings: { overall: tiers } })).status).toBe(200);
    const unknown = await labeler.post(`/api/assignments/${task.id}/submit`, { rankings: { helpfulness: tiers } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('"overall"');
  });

  it('not rankable needs no ranking on a two-criterion project either', async () => {
    const { projectId, labeler, task } = await projectWithTask('two-criteria-not-rankable', twoCriteria);
    expect((await labeler.post(`/api/assignments/${task.id}/submit`, { notRankable: true, comment: 'the prompt is cut off' })).status).toBe(201);
    expect(await server.store.projects.hasRankings(projectId)).toBe(true);
  });
});
