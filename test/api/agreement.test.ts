import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

type Assignment = { id: number; prompt: { id: number; externalId: string }; responses: { id: number; text: string }[] };
/** One submitted ranking as the test saw it, in the CLI's line format. */
type Line = { prompt: number; labeler: number; ranking: number[][]; shownFirst: number; durationMs: number; flagged: boolean };

let server: TestServer;
let projectId: number;
const users: Record<string, { client: ApiClient; id: number }> = {};
const lines: Line[] = [];
const promptIds: Record<string, number> = {};

// Each labeler's ranking of each prompt by response letter, how long they took and what they flagged. cy ranks
// against the others and fast; ben skips p6. p1 by hand: ana a>b>c, ben a>b>c, cy c>b>a → rank sums a=5, b=6, c=7,
// S = 2, W = 12·2 / (3²·(3³−3)) = 1/9; pairwise: each response pair has 1 agreeing and 2 disagreeing labeler pairs → 3/9.
const plan: Record<string, Record<string, string>> = {
  ana: { p1: 'a>b>c', p2: 'a>b>c', p3: 'b>a>c', p4: 'a=b>c', p5: 'c>b>a', p6: 'a>c>b' },
  ben: { p1: 'a>b>c', p2: 'a>c>b', p3: 'b>a>c', p4: 'a>b>c', p5: 'c>a>b', p6: 'skip' },
  cy: { p1: 'c>b>a', p2: 'c>b>a', p3: 'c>a>b', p4: 'c>b>a', p5: 'a>b>c', p6: 'b>c>a' },
  dee: { p6: 'a>c>b', p1: 'a>b>c' },
};
const seconds: Record<string, number> = { ana: 20, ben: 31, cy: 2, dee: 12 };

function tiersFor(a: Assignment, spec: string): number[][] {
  const byLetter = new Map(a.responses.map((r) => [r.text.split('-')[1], r.id]));
  return spec.split('>').map((tier) => tier.split('=').map((letter) => byLetter.get(letter) as number));
}

/** Takes tasks until the pool has none for this labeler, ranking (or skipping) each as the plan says. */
async function labelAll(name: string): Promise<string[]> {
  const { client, id } = users[name]!;
  const seen: string[] = [];
  for (;;) {
    const next = await client.post(`/api/projects/${projectId}/tasks/next`);
    if (next.status === 204) return seen;
    expect(next.status).toBe(200);
    const a = next.body.assignment as Assignment;
    const ext = a.prompt.externalId;
    seen.push(ext);
    promptIds[ext] = a.prompt.id;
    const spec = plan[name]?.[ext];
    if (!spec) throw new Error(`${name} has no plan for ${ext}`);
    if (spec === 'skip') {
      expect((await client.post(`/api/assignments/${a.id}/skip`, { reason: 'not my language' })).status).toBe(201);
      continue;
    }
    const ranking = tiersFor(a, spec);
    const durationMs = seconds[name]! * 1000 + seen.length * 100;
    // ana flags p5's response c: a flagged ranking for the flag rate.
    const flagged = name === 'ana' && ext === 'p5';
    const flags = flagged ? { [String(ranking[0]![0])]: ['factually-wrong'] } : {};
    expect((await client.post(`/api/assignments/${a.id}/submit`, { ranking, durationMs, flags })).status).toBe(201);
    lines.push({ prompt: a.prompt.id, labeler: id, ranking, shownFirst: a.responses[0]!.id, durationMs, flagged });
  }
}

const agreement = async (query = '?bootstrap=0') => {
  const res = await users.lead!.client.get(`/api/projects/${projectId}/agreement${query}`);
  expect(res.status).toBe(200);
  return res.body;
};
const exported = async () => {
  const res = await users.lead!.client.get(`/api/projects/${projectId}/export?format=rankings&minLabelers=1`);
  expect(res.status).toBe(200);
  return res.body as string;
};
const exclude = (path: string, excluded: boolean, reason = '') => users.lead!.client.post(`/api/projects/${projectId}/${path}/exclusion`, { excluded, reason });

beforeAll(async () => {
  server = await startTestServer();
  users.lead = await userClient(server, 'lea', 'lead');
  const created = await users.lead.client.post('/api/projects', { name: 'agreement', responsesPerPrompt: 3, labelersPerPrompt: 3 });
  expect(created.status).toBe(201);
  projectId = created.body.project.id;
  const prompts = Array.from({ length: 6 }, (_, i) => ({ id: `p${i + 1}`, prompt: `Question ${i + 1}?`, responses: ['a', 'b', 'c'].map((l) => `p${i + 1}-${l}`) }));
  expect((await users.lead.client.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
  for (const name of ['ana', 'ben', 'cy', 'dee']) {
    users[name] = await userClient(server, name);
    expect((await users.lead.client.post(`/api/projects/${projectId}/members`, { userId: users[name].id })).status).toBe(201);
  }
  for (const name of ['ana', 'ben', 'cy']) expect((await labelAll(name)).length).toBe(6);
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/projects/:id/agreement', () => {
  it('reports the figures with usernames, skip and flag rates, position bias, median time and intervals', async () => {
    const report = await agreement('?bootstrap=100');
    expect(report.prompts).toBe(6);
    expect(report.rankings).toBe(17);
    expect(report.responsesPerPrompt).toBe(3);
    expect(report.kendallW.perPrompt[String(promptIds.p1)]).toBeCloseTo(1 / 9, 12);
    const byName = Object.fromEntries(report.labelers.map((l: { username: string }) => [l.username, l]));
    expect(Object.keys(byName).sort()).toEqual(['ana', 'ben', 'cy']);
    expect(byName.ben).toMatchObject({ labeler: users.ben!.id, rankings: 5, skipRate: 1 / 6, flagRate: 0 });
    expect(byName.ana).toMatchObject({ rankings: 6, flagRate: 1 / 6, skipRate: 0, expectedPositionBias: 1 / 3 });
    expect(byName.cy.medianMs).toBeLessThan(5000);
    expect(byName.cy.tauB).toBeLessThan(0);
    const nameOf = (id: number) => Object.entries(users).find(([, u]) => u.id === id)?.[0];
    expect(report.labelerPairs.usernames).toEqual(report.labelerPairs.labelers.map(nameOf));
    expect(report.intervals.pairwiseAgreement.resamples).toBe(100);
    expect(report.intervals.pairwiseAgreement.low).toBeLessThanOrEqual(report.pairwiseAgreement);
    expect(report.intervals.pairwiseAgreement.high).toBeGreaterThanOrEqual(report.pairwiseAgreement);
    expect(report.intervals.krippendorffAlpha.ordinal).not.toBeNull();
    expect((await agreement('?bootstrap=0')).intervals).toBeUndefined();
    expect((await users.lead!.client.get(`/api/projects/${projectId}/agreement?bootstrap=-1`)).status).toBe(400);
  });

  it('gives the same figures as `podium agreement --rankings FILE` for the same rankings', async () => {
    const resamples = 60;
    const api = await agreement(`?bootstrap=${resamples}`);
    // The rankings as the test submitted them, in the order the server keeps them (prompt, then submission).
    const file = join(server.dir, 'rankings.jsonl');
    const ordered = lines.map((l, i) => ({ l, i })).sort((x, y) => x.l.prompt - y.l.prompt || x.i - y.i).map(({ l }) => l);
    writeFileSync(file, jsonl(ordered));
    const cli = await runCli(['agreement', '--rankings', file, '--bootstrap', String(resamples)]);
    expect(cli.stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(cli.status).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    for (const field of ['prompts', 'rankings', 'pairwiseAgreement', 'kendallW', 'krippendorffAlpha', 'intervals']) expect(api[field], field).toEqual(fromCli[field]);
    // Skip rates need the skips and gold scores the gold prompts, which a rankings file does not carry; everything else
    // per labeler is the same.
    const shared = (l: Record<string, unknown>) => {
      const { username: _u, skipRate: _s, gold: _g, ...rest } = l;
      return rest;
    };
    expect(api.labelers.map(shared)).toEqual(fromCli.labelers.map(shared));
    const { usernames: _n, ...pairs } = api.labelerPairs;
    expect(pairs).toEqual(fromCli.labelerPairs);
  });
});

describe('excluding a labeler, a ranking or a prompt', () => {
  it('a labeler: figures, results and export change, the audit log says who and why, and taking it back restores them', async () => {
    const before = await agreement();
    const exportBefore = await exported();
    const cy = users.cy!.id;

    const missingReason = await exclude(`members/${cy}`, true);
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.error.issues[0].path).toEqual(['reason']);

    expect((await exclude(`members/${cy}`, true, 'ranks against everyone')).status).toBe(200);
    const after = await agreement();
    expect(after.rankings).toBe(11);
    expect(after.labelers.map((l: { username: string }) => l.username).sort()).toEqual(['ana', 'ben']);
    expect(after.pairwiseAgreement).toBeGreaterThan(before.pairwiseAgreement);
    expect(after.kendallW.perPrompt[String(promptIds.p1)]).toBe(1);
    expect(after.excludedLabelers).toEqual([expect.objectContaining({ userId: cy, username: 'cy', rankings: 6, reason: 'ranks against everyone', by: 'lea' })]);
    const exportAfter = await exported();
    expect(exportAfter).not.toBe(exportBefore);
    const p1 = exportAfter.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l: { podium?: { promptId?: number } }) => JSON.stringify(l).includes('Question 1?'));
    expect(JSON.stringify(p1)).not.toContain('"cy"');
    const review = await users.lead!.client.get(`/api/projects/${projectId}/review/${promptIds.p1}`);
    expect(review.body.prompt).toMatchObject({ w: 1, agreement: 1, excludedLabelers: [cy] });
    const audit = await server.store.engine.all("SELECT user_id, target, detail FROM audit_log WHERE action = 'member.exclude'");
    expect(audit).toEqual([{ user_id: users.lead!.id, target: `projects/${projectId}/members/${cy}`, detail: JSON.stringify({ reason: 'ranks against everyone' }) }]);

    expect((await exclude(`members/${cy}`, false)).status).toBe(200);
    expect(await agreement()).toEqual(before);
    expect(await exported()).toBe(exportBefore);
    expect(await server.store.engine.get("SELECT count(*) AS n FROM audit_log WHERE action = 'member.include'")).toEqual({ n: 1 });
  });

  it('one ranking: it leaves the figures and the export, and comes back', async () => {
    const before = await agreement();
    const exportBefore = await exported();
    const detail = await users.lead!.client.get(`/api/projects/${projectId}/review/${promptIds.p1}`);
    const cyRanking = detail.body.prompt.rankings.find((r: { username: string }) => r.username === 'cy');
    expect((await exclude(`rankings/${cyRanking.rankingId}`, true, 'clicked through')).status).toBe(200);
    const after = await agreement();
    expect(after.rankings).toBe(16);
    expect(after.kendallW.perPrompt[String(promptIds.p1)]).toBe(1);
    expect(await exported()).not.toBe(exportBefore);
    const results = await users.lead!.client.get(`/api/projects/${projectId}/results?limit=10`);
    const r1 = results.body.results.find((r: { externalId: string }) => r.externalId === 'p1');
    // Without cy, a (ranked first by ana and ben) has mean rank 1.
    expect(r1.responses.find((r: { text: string }) => r.text === 'p1-a').meanRank).toBe(1);

    expect((await exclude(`rankings/${cyRanking.rankingId}`, false)).status).toBe(200);
    expect(await agreement()).toEqual(before);
    expect(await exported()).toBe(exportBefore);
    expect((await exclude('rankings/999999', true, 'x')).status).toBe(404);
  });

  it('a prompt: it leaves the export and the figures, shows as excluded in the review, and comes back', async () => {
    const exportBefore = await exported();
    const before = await agreement();
    expect(exportBefore).toContain('Question 2?');
    expect((await exclude(`prompts/${promptIds.p2}`, true, 'ambiguous question')).status).toBe(200);
    const exportAfter = await exported();
    expect(exportAfter).not.toContain('Question 2?');
    expect(exportAfter).toContain('Question 1?');
    expect((await agreement()).prompts).toBe(5);
    const list = await users.lead!.client.get(`/api/projects/${projectId}/review?sort=prompt`);
    expect(list.body.rows.find((r: { externalId: string }) => r.externalId === 'p2')).toMatchObject({ excluded: true, counted: 3 });
    // The review still shows how its labelers agreed.
    const detail = await users.lead!.client.get(`/api/projects/${projectId}/review/${promptIds.p2}`);
    expect(detail.body.prompt.excluded).toBe(true);
    expect(detail.body.prompt.consensus.length).toBeGreaterThan(0);

    expect((await exclude(`prompts/${promptIds.p2}`, false)).status).toBe(200);
    expect(await exported()).toBe(exportBefore);
    expect(await agreement()).toEqual(before);
  });
});

describe('the review list and sending a prompt back', () => {
  it('sorts by lowest W with the same W the agreement report gives, and by flags and not-rankable counts', async () => {
    const report = await agreement();
    const res = await users.lead!.client.get(`/api/projects/${projectId}/review?sort=w`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(6);
    const rows = res.body.rows as { promptId: number; externalId: string; w: number | null; flagged: number; preview: string }[];
    for (const row of rows) expect(row.w).toBe(report.kendallW.perPrompt[String(row.promptId)]);
    const ws = rows.map((r) => r.w ?? Infinity);
    expect(ws).toEqual([...ws].sort((a, b) => a - b));
    expect(rows.find((r) => r.externalId === 'p1')?.preview).toBe('Question 1?');
    const byFlags = await users.lead!.client.get(`/api/projects/${projectId}/review?sort=flags&limit=1`);
    expect(byFlags.body.rows).toEqual([expect.objectContaining({ externalId: 'p5', flagged: 1 })]);
    expect((await users.lead!.client.get(`/api/projects/${projectId}/review?sort=nonsense`)).status).toBe(400);
  });

  it('"send back for more labels" offers a complete prompt to a labeler who has not ranked it', async () => {
    // dee first gets the place ben's skip left on p6, then nothing: every prompt has its three labelers.
    expect(await labelAll('dee')).toEqual(['p6']);
    const sent = await users.lead!.client.post(`/api/projects/${projectId}/prompts/${promptIds.p1}/extra-labels`);
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ promptId: promptIds.p1, extraLabelers: 1, openToLabelers: 1 });
    expect(await labelAll('dee')).toEqual(['p1']);
    // The others ranked it already, so nobody else is offered it.
    expect((await users.ana!.client.post(`/api/projects/${projectId}/tasks/next`)).status).toBe(204);
    const detail = await users.lead!.client.get(`/api/projects/${projectId}/review/${promptIds.p1}`);
    expect(detail.body.prompt.rankings.map((r: { username: string }) => r.username)).toEqual(['ana', 'ben', 'cy', 'dee']);
    expect(detail.body.prompt.extraLabelers).toBe(1);
    expect((await users.lead!.client.post(`/api/projects/${projectId}/prompts/999999/extra-labels`)).status).toBe(404);
  });
});

describe('access', () => {
  it('a labeler of the project gets 403 on every agreement and review route', async () => {
    const ana = users.ana!.client;
    const p = promptIds.p1;
    const calls = [
      ana.get(`/api/projects/${projectId}/agreement`),
      ana.get(`/api/projects/${projectId}/review`),
      ana.get(`/api/projects/${projectId}/review/${p}`),
      ana.post(`/api/projects/${projectId}/prompts/${p}/extra-labels`),
      ana.post(`/api/projects/${projectId}/prompts/${p}/exclusion`, { excluded: true, reason: 'x' }),
      ana.post(`/api/projects/${projectId}/members/${users.ben!.id}/exclusion`, { excluded: true, reason: 'x' }),
      ana.post(`/api/projects/${projectId}/rankings/1/exclusion`, { excluded: true, reason: 'x' }),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(403);
    expect(await server.store.engine.get("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'member.%' AND user_id = ?", users.ana!.id)).toEqual({ n: 0 });
  });
});
