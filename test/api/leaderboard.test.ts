import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import type { Leaderboard, LeaderboardEntry } from '../../shared/leaderboard.ts';
import { runCli } from '../support/cli.ts';
import { run } from '../../server/store/engine/sql.ts';

type Assignment = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };

let server: TestServer;
let projectId: number;
const users: Record<string, { client: ApiClient; id: number }> = {};
const models = ['strong', 'mid', 'weak'] as const;

// Every ranking is strong > mid > weak but three. Per ranking 3 outcomes, 16 rankings: strong–mid 14 : 1 with 1 tie,
// strong–weak 15 : 1, mid–weak 15 : 1.
const exceptions: Record<string, string> = { 'ana/p3': 'mid>strong>weak', 'ben/p5': 'strong=mid>weak', 'ben/p8': 'weak>strong>mid' };

function tiersFor(a: Assignment, spec: string): number[][] {
  const byModel = new Map(a.responses.map((r) => [r.text.split('-')[1], r.id]));
  return spec.split('>').map((tier) => tier.split('=').map((m) => byModel.get(m) as number));
}

async function labelAll(name: string): Promise<void> {
  const { client } = users[name]!;
  for (;;) {
    const next = await client.post(`/api/projects/${projectId}/tasks/next`);
    if (next.status === 204) return;
    const a = next.body.assignment as Assignment;
    const spec = exceptions[`${name}/${a.prompt.externalId}`] ?? 'strong>mid>weak';
    expect((await client.post(`/api/assignments/${a.id}/submit`, { ranking: tiersFor(a, spec) })).status).toBe(201);
  }
}

const leaderboard = async (query = ''): Promise<Leaderboard> => {
  const res = await users.lead!.client.get(`/api/projects/${projectId}/leaderboard${query}`);
  expect(res.status).toBe(200);
  return res.body as Leaderboard;
};
const byName = (entries: LeaderboardEntry[]) => Object.fromEntries(entries.map((e) => [e.name, e]));

beforeAll(async () => {
  server = await startTestServer();
  users.lead = await userClient(server, 'lea', 'lead');
  const created = await users.lead.client.post('/api/projects', { name: 'models', responsesPerPrompt: 3, labelersPerPrompt: 2 });
  projectId = created.body.project.id;
  const prompts = Array.from({ length: 8 }, (_, i) => ({
    id: `p${i + 1}`,
    prompt: `Question ${i + 1}?`,
    responses: models.map((m) => ({ text: `p${i + 1}-${m}`, model: m })),
    metadata: { task: i < 4 ? 'math' : 'code' },
  }));
  expect((await users.lead.client.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
  for (const name of ['ana', 'ben']) {
    users[name] = await userClient(server, name);
    expect((await users.lead.client.post(`/api/projects/${projectId}/members`, { userId: users[name].id })).status).toBe(201);
    await labelAll(name);
  }
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/projects/:id/leaderboard', () => {
  it('ranks the models best first and counts every pairwise outcome of the counted rankings', async () => {
    const board = await leaderboard('?bootstrap=0');
    expect(board.by).toBe('model');
    expect(board.entries.map((e) => e.name)).toEqual(['strong', 'mid', 'weak']);
    const e = byName(board.entries);
    expect(e.strong).toMatchObject({ wins: 29, losses: 2, ties: 1, comparisons: 32, ci: null });
    expect(e.mid).toMatchObject({ wins: 16, losses: 15, ties: 1, comparisons: 32 });
    expect(e.weak).toMatchObject({ wins: 2, losses: 30, ties: 0, comparisons: 32 });
    expect(board.winRate.strong).toEqual({ mid: 14.5 / 16, weak: 15 / 16 });
    expect(board.winRate.weak!.mid).toBe(1 / 16);
    expect(board.outcomes).toBe(48);
    expect(board.prompts).toBe(8);
    expect(board.entries.reduce((s, x) => s + x.strength, 0)).toBeCloseTo(0, 9);
    expect(e.strong!.elo).toBeGreaterThan(e.mid!.elo);
    expect(e.strong!.elo).toBeCloseTo(1000 + (400 * e.strong!.strength) / Math.LN10, 9);
  });

  it('gives reproducible 95% bootstrap intervals (200 resamples by default)', async () => {
    const one = await leaderboard();
    const two = await leaderboard();
    expect(one.bootstrap).toBe(200);
    expect(one.entries.map((e) => e.ci)).toEqual(two.entries.map((e) => e.ci));
    for (const e of one.entries) {
      expect(e.ci).not.toBeNull();
      expect(e.ci![0]).toBeLessThanOrEqual(e.ci![1]);
    }
    // strong wins nearly everything in every resample: its interval sits above weak's.
    const e = byName(one.entries);
    expect(e.strong!.ci![0]).toBeGreaterThan(e.weak!.ci![1]);
  });

  it('splits by a metadata key', async () => {
    const board = await leaderboard('?bootstrap=0&group=task');
    expect(board.group).toBe('task');
    expect(Object.keys(board.groups!)).toEqual(['code', 'math']);
    const math = board.groups!.math!;
    expect(math.prompts).toBe(4);
    // ana ranked mid over strong on p3 (math); ben's tie and upset were on p5 and p8 (code).
    expect(math.winRate.mid!.strong).toBe(1 / 8);
    expect(byName(math.entries).weak).toMatchObject({ wins: 0, losses: 16 });
    expect(byName(board.groups!.code!.entries).weak).toMatchObject({ wins: 2, losses: 14 });
  });

  it('ranks sampling policies apart from their model, an imported response by its model', async () => {
    // As sampling records them: two policies of the strong model, one per half of the prompts.
    // Through the server's own engine: on Postgres the SQLite file is not where the responses live.
    await server.store.engine.transaction(() =>
      run(`UPDATE responses SET policy = CASE WHEN text < 'p5' THEN 'strong t=0.2' ELSE 'strong t=1' END WHERE model = 'strong'`),
    );
    const board = await leaderboard('?by=policy&bootstrap=0');
    expect(board.by).toBe('policy');
    const e = byName(board.entries);
    expect(Object.keys(e).sort()).toEqual(['mid', 'strong t=0.2', 'strong t=1', 'weak']);
    expect(e['strong t=0.2']).toMatchObject({ wins: 15, losses: 1, ties: 0 });
    expect(e['strong t=1']).toMatchObject({ wins: 14, losses: 1, ties: 1 });
    // The two policies never met on one prompt, but mid and weak link them.
    expect(board.connected).toBe(true);
    expect(board.winRate['strong t=1']!['strong t=0.2']).toBeUndefined();
    expect((await leaderboard('?bootstrap=0')).entries.map((x) => x.name)).toEqual(['strong', 'mid', 'weak']);
  });

  it('counts only counted rankings: an excluded labeler drops out', async () => {
    expect((await users.lead!.client.post(`/api/projects/${projectId}/members/${users.ben!.id}/exclusion`, { excluded: true, reason: 'test' })).status).toBe(200);
    const e = byName((await leaderboard('?bootstrap=0')).entries);
    // ana alone: 8 rankings, one of them mid > strong.
    expect(e.strong).toMatchObject({ wins: 15, losses: 1, ties: 0, comparisons: 16 });
    expect(e.weak).toMatchObject({ wins: 0, losses: 16 });
    expect((await users.lead!.client.post(`/api/projects/${projectId}/members/${users.ben!.id}/exclusion`, { excluded: false, reason: '' })).status).toBe(200);
  });

  it('prints the same JSON from `podium leaderboard` as the route gives', async () => {
    // Asynchronously: the server under test shares this process, and a blocked event loop would drop its connections.
    const cli = (...args: string[]) =>
      runCli(['leaderboard', '--project', String(projectId), ...args], server.dbEnv);
    const run = await cli('--bootstrap', '40', '--group', 'task');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(await leaderboard('?bootstrap=40&group=task'));
    const bad = await cli('--by', 'judge');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--by');
  });

  it('refuses bad queries with the zod issues, and labelers', async () => {
    for (const q of ['?by=judge', '?bootstrap=-1', '?bootstrap=2001', '?bootstrap=many', '?group=']) {
      const res = await users.lead!.client.get(`/api/projects/${projectId}/leaderboard${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.issues.length).toBeGreaterThan(0);
    }
    expect((await users.ana!.client.get(`/api/projects/${projectId}/leaderboard`)).status).toBe(403);
  });
});
