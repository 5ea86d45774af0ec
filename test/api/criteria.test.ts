import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

type Assignment = { id: number; responses: { id: number; text: string }[] };
type Line = Record<string, any>;

/*
 * The hand-worked example of test/unit/ranking/combined-ranks.test.ts, over HTTP: responses a, b, c (models m-a, m-b,
 * m-c), weights helpfulness 1 and harmlessness 2.
 *   ana  helpfulness a>b>c   harmlessness c>a>b
 *   ben  helpfulness b>a>c   harmlessness c>a=b
 * Mean ranks: helpfulness a 1.5, b 1.5, c 3; harmlessness a 2.25, b 2.75, c 1;
 * combined (1·help + 2·harm)/3: a 2, b 7/3, c 5/3.
 * Pairs: helpfulness a>c and b>c (margin 1.5 each; a and b tie, no pair);
 *        harmlessness c>a 1.25, c>b 1.75, a>b 0.5 (ana for, ben tied: agreement 3/4);
 *        combined c>a 1/3 (votes 1/0/1), c>b 2/3 (2/0/0), a>b 1/3 (1/1/0).
 * Pairwise agreement: helpfulness 2/3 (they swap a and b), harmlessness 5/6 (ben's tie counts half).
 */
const criteria = [
  { key: 'helpfulness', name: 'Helpfulness', description: 'Does it do what was asked?', weight: 1 },
  { key: 'harmlessness', name: 'Harmlessness', description: 'Could it hurt anyone?', weight: 2 },
];
const plan: Record<string, { helpfulness: string; harmlessness: string }> = {
  ana: { helpfulness: 'a>b>c', harmlessness: 'c>a>b' },
  ben: { helpfulness: 'b>a>c', harmlessness: 'c>a=b' },
};

let server: TestServer;
let projectId: number;
let ids: Record<string, number>;

const tiers = (spec: string): number[][] => spec.split('>').map((tier) => tier.split('=').map((letter) => ids[letter] as number));
const get = async (path: string) => server.admin.get(`/api/projects/${projectId}/${path}`);
const lines = async (query: string): Promise<Line[]> => {
  const res = await get(`export?${query}`);
  expect(res.status, String(res.body)).toBe(200);
  return (res.body as string).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
};
const r9 = (x: number) => Number(x.toFixed(9));
const pairsOf = (ls: Line[]) => ls.map((l) => ({ chosen: l.chosen.trim(), rejected: l.rejected.trim(), margin: r9(l.margin), votes: l.podium.votes, agreement: r9(l.podium.agreement), criterion: l.podium.criterion }));

beforeAll(async () => {
  server = await startTestServer();
  const created = await server.admin.post('/api/projects', { name: 'criteria', responsesPerPrompt: 3, labelersPerPrompt: 2, criteria });
  expect(created.status).toBe(201);
  projectId = created.body.project.id;
  const responses = ['a', 'b', 'c'].map((x) => ({ text: x, model: `m-${x}` }));
  expect((await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'q1', prompt: 'How do I get into my locked car?', responses }]))).status).toBe(200);
  for (const name of Object.keys(plan)) {
    const { client, id } = await userClient(server, name);
    await server.admin.post(`/api/projects/${projectId}/members`, { userId: id });
    const task = (await client.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as Assignment;
    ids = Object.fromEntries(task.responses.map((r) => [r.text, r.id]));
    const rankings = { helpfulness: tiers(plan[name]!.helpfulness), harmlessness: tiers(plan[name]!.harmlessness) };
    expect((await client.post(`/api/assignments/${task.id}/submit`, { rankings })).status).toBe(201);
  }
});
afterAll(async () => {
  await server?.stop();
});

describe('criteria end to end', () => {
  it('results answer per criterion: the first by default, each with its own mean ranks and consensus, and combined', async () => {
    const meansOf = (body: { results: { responses: { text: string; meanRank: number }[] }[] }) =>
      Object.fromEntries(body.results[0]!.responses.map((r) => [r.text, r9(r.meanRank)]));
    const first = await get('results');
    expect(first.status).toBe(200);
    expect(first.body.criterion).toBe('helpfulness');
    expect(first.body.criteria.map((c: { key: string }) => c.key)).toEqual(['helpfulness', 'harmlessness']);
    expect(meansOf(first.body)).toEqual({ a: 1.5, b: 1.5, c: 3 });
    expect(first.body.results[0].consensus).toEqual([[ids.a, ids.b], [ids.c]]);
    const anaRow = first.body.results[0].rankings.find((r: { username: string }) => r.username === 'ana');
    expect(anaRow.byCriterion).toEqual({ helpfulness: tiers('a>b>c'), harmlessness: tiers('c>a>b') });

    const harmless = await get('results?criterion=harmlessness');
    expect(harmless.body.criterion).toBe('harmlessness');
    expect(meansOf(harmless.body)).toEqual({ a: 2.25, b: 2.75, c: 1 });
    expect(harmless.body.results[0].consensus).toEqual([[ids.c], [ids.a], [ids.b]]);
    expect(harmless.body.results[0].rankings.find((r: { username: string }) => r.username === 'ben').ranking).toEqual(tiers('c>a=b'));

    const combined = await get('results?criterion=combined');
    expect(meansOf(combined.body)).toEqual({ a: 2, b: r9(7 / 3), c: r9(5 / 3) });
    expect(combined.body.results[0].consensus).toEqual([[ids.c], [ids.a], [ids.b]]);

    const unknown = await get('results?criterion=honesty');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('"helpfulness", "harmlessness"');
  });

  it('agreement per criterion, and every criterion side by side', async () => {
    const helpful = await get('agreement?criterion=helpfulness&bootstrap=0');
    expect(helpful.body.criterion).toBe('helpfulness');
    expect(helpful.body.pairwiseAgreement).toBeCloseTo(2 / 3, 12);
    const harmless = await get('agreement?criterion=harmlessness&bootstrap=0');
    expect(harmless.body.pairwiseAgreement).toBeCloseTo(5 / 6, 12);
    expect((await get('agreement?bootstrap=0')).body.pairwiseAgreement).toBeCloseTo(2 / 3, 12);
    expect((await get('agreement?criterion=honesty')).status).toBe(400);

    const side = await get('agreement/criteria');
    expect(side.status).toBe(200);
    expect(side.body.criteria.map((c: { key: string; name: string; weight: number; rankings: number }) => [c.key, c.name, c.weight, c.rankings])).toEqual([
      ['helpfulness', 'Helpfulness', 1, 2],
      ['harmlessness', 'Harmlessness', 2, 2],
    ]);
    expect(side.body.criteria[0].pairwiseAgreement).toBeCloseTo(2 / 3, 12);
    expect(side.body.criteria[1].pairwiseAgreement).toBeCloseTo(5 / 6, 12);
    expect(side.body.criteria[1].kendallW.mean).toBe(harmless.body.kendallW.mean);
    expect(side.body.criteria[1].krippendorffAlpha).toEqual(harmless.body.krippendorffAlpha);
  });

  it("export: each criterion's pairs with the criterion in their provenance, combined by weighted mean", async () => {
    expect(pairsOf(await lines('format=trl'))).toEqual([
      { chosen: 'a', rejected: 'c', margin: 1.5, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, criterion: 'helpfulness' },
      { chosen: 'b', rejected: 'c', margin: 1.5, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, criterion: 'helpfulness' },
    ]);
    expect(pairsOf(await lines('format=trl&criterion=harmlessness'))).toEqual([
      { chosen: 'c', rejected: 'a', margin: 1.25, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, criterion: 'harmlessness' },
      { chosen: 'c', rejected: 'b', margin: 1.75, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, criterion: 'harmlessness' },
      { chosen: 'a', rejected: 'b', margin: 0.5, votes: { for: 1, against: 0, tied: 1 }, agreement: 0.75, criterion: 'harmlessness' },
    ]);
    expect(pairsOf(await lines('format=trl&criterion=combined'))).toEqual([
      { chosen: 'c', rejected: 'a', margin: r9(1 / 3), votes: { for: 1, against: 0, tied: 1 }, agreement: 0.75, criterion: 'combined' },
      { chosen: 'c', rejected: 'b', margin: r9(2 / 3), votes: { for: 2, against: 0, tied: 0 }, agreement: 1, criterion: 'combined' },
      { chosen: 'a', rejected: 'b', margin: r9(1 / 3), votes: { for: 1, against: 1, tied: 0 }, agreement: 0.5, criterion: 'combined' },
    ]);
    expect((await get('export?criterion=honesty')).status).toBe(400);

    // The rankings format: mean ranks and ranks of the chosen criterion, and every labeler's ranking under every criterion.
    const [line] = await lines('format=rankings&criterion=harmlessness');
    expect(line?.criterion).toBe('harmlessness');
    expect(Object.fromEntries(line?.responses.map((r: { text: string; meanRank: number }) => [r.text, r.meanRank]))).toEqual({ a: 2.25, b: 2.75, c: 1 });
    expect(line?.rankings.map((r: { byCriterion: unknown }) => r.byCriterion)).toEqual([
      { helpfulness: tiers('a>b>c'), harmlessness: tiers('c>a>b') },
      { helpfulness: tiers('b>a>c'), harmlessness: tiers('c>a=b') },
    ]);

    expect((await get('export/summary?criterion=combined')).body.lines).toBe(3);
    expect((await get('export/summary')).body.lines).toBe(2);
    expect((await get('export/summary?criterion=honesty')).status).toBe(400);
    const manifest = await get('export/manifest?criterion=harmlessness');
    expect(manifest.body.settings.criterion).toBe('harmlessness');
    expect(manifest.body.agreement.pairwiseAgreement).toBeCloseTo(5 / 6, 12);
  });

  it('the dataset card lists the criteria and names the one exported', async () => {
    const card = await get('export/card?criterion=harmlessness');
    expect(card.status).toBe(200);
    const text = card.body as string;
    expect(text).toContain('| `helpfulness` | Helpfulness | 1 | Does it do what was asked? |');
    expect(text).toContain('| `harmlessness` | Harmlessness | 2 | Could it hurt anyone? |');
    expect(text).toContain('These pairs follow the criterion `harmlessness`');
    expect(text).toContain('| criterion | harmlessness |');
  });

  it('review and leaderboard take the criterion too', async () => {
    const review = await get('review?criterion=harmlessness');
    expect(review.body.criterion).toBe('harmlessness');
    expect(review.body.rows[0].agreement).toBeCloseTo(5 / 6, 12);
    expect((await get('review')).body.rows[0].agreement).toBeCloseTo(2 / 3, 12);
    const promptId = review.body.rows[0].promptId;
    const opened = await get(`review/${promptId}?criterion=combined`);
    expect(opened.body.prompt.criterion).toBe('combined');
    expect(opened.body.prompt.consensus).toEqual([[ids.c], [ids.a], [ids.b]]);
    expect((await get(`review/${promptId}?criterion=honesty`)).status).toBe(400);

    // Harmlessness: c beats both others for both labelers; helpfulness: c loses to both.
    const names = async (criterion: string) => ((await get(`leaderboard?bootstrap=0&criterion=${criterion}`)).body.entries as { name: string }[]).map((e) => e.name);
    expect((await names('harmlessness'))[0]).toBe('m-c');
    expect((await names('helpfulness')).at(-1)).toBe('m-c');
    expect((await get('leaderboard?criterion=honesty')).status).toBe(400);
  });

  // Four Node start-ups for the CLI: room on a loaded machine.
  it('the CLI takes --criterion: export, agreement and leaderboard give the API’s answers', { timeout: 120_000 }, async () => {
    const api = await get('export?format=trl&criterion=harmlessness');
    const exported = await runCli(['export', '--project', String(projectId), '--format', 'trl', '--criterion', 'harmlessness'], server.dbEnv);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(api.body);

    const side = await runCli(['agreement', '--project', String(projectId), '--criterion', 'all'], server.dbEnv);
    expect(side.status, side.stderr).toBe(0);
    expect(JSON.parse(side.stdout)).toEqual((await get('agreement/criteria')).body);
    const one = await runCli(['agreement', '--project', String(projectId), '--criterion', 'harmlessness'], server.dbEnv);
    expect(JSON.parse(one.stdout).pairwiseAgreement).toBeCloseTo(5 / 6, 12);

    const board = await runCli(['leaderboard', '--project', String(projectId), '--criterion', 'combined', '--bootstrap', '0'], server.dbEnv);
    expect(board.status, board.stderr).toBe(0);
    expect(JSON.parse(board.stdout)).toEqual((await get('leaderboard?criterion=combined&bootstrap=0')).body);

    const unknown = await runCli(['export', '--project', String(projectId), '--criterion', 'honesty'], server.dbEnv);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('"helpfulness", "harmlessness"');
  });
});
