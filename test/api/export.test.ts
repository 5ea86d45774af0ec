import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/paths.ts';
import { seedRankedProject } from '../../bench/support/seed-rankings.ts';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

type Assignment = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };
type Line = Record<string, unknown> & { podium?: { externalId: string; promptId: number; agreement: number } };

let server: TestServer;
let lead: ApiClient;
let projectId: number;

/**
 * K = 3, R = 2; ana and ben rank by letters (response "pX-a" is a). By hand, with strategy all:
 * p1 a>b>c twice → 3 pairs; p2 a>b>c / b>a>c → a = b = 1.5, c = 3 → 2 pairs; p3 a>b>c / a>c>b → a = 1, b = c = 2.5 → 2;
 * p4 a>b>c / c>b>a → all 2, no pair; p5 a=b>c / a>b>c → a 1.25, b 1.75, c 3 → 3 (a over b: one for, one tied, agreement .75);
 * p6 c>b>a twice → 3; chat (system message, two turns) b>a>c twice → 3. Total 16 pairs from 6 prompts.
 * p7 ben skips (one ranking, under minLabelers = R = 2); p8 is excluded; both call p9 not rankable.
 */
const plan: Record<string, Record<string, string>> = {
  ana: { p1: 'a>b>c', p2: 'a>b>c', p3: 'a>b>c', p4: 'a>b>c', p5: 'a=b>c', p6: 'c>b>a', chat: 'b>a>c', p7: 'a>b>c', p8: 'a>b>c', p9: 'not-rankable' },
  ben: { p1: 'a>b>c', p2: 'b>a>c', p3: 'a>c>b', p4: 'c>b>a', p5: 'a>b>c', p6: 'c>b>a', chat: 'b>a>c', p7: 'skip', p8: 'a>b>c', p9: 'not-rankable' },
};

const chatMessages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Name a colour.' },
  { role: 'assistant', content: 'Blue.' },
  { role: 'user', content: 'Another one?' },
];

function tiersFor(a: Assignment, spec: string): number[][] {
  const byLetter = new Map(a.responses.map((r) => [r.text.split('-')[1], r.id]));
  return spec.split('>').map((tier) => tier.split('=').map((letter) => byLetter.get(letter) as number));
}

const exportPath = (query: string) => `/api/projects/${projectId}/export${query ? `?${query}` : ''}`;
const linesOf = (body: string): string[] => body.split('\n').filter(Boolean);
async function exported(query: string, client: ApiClient = lead): Promise<Line[]> {
  const res = await client.get<string>(exportPath(query));
  expect(res.status, String(res.body)).toBe(200);
  return linesOf(res.body).map((l) => JSON.parse(l) as Line);
}

/** `podium export` as a user runs it, against the server's database file. */
function cli(args: string[]) {
  return runCli(['export', '--project', String(projectId), ...args], server.dbEnv);
}

beforeAll(async () => {
  server = await startTestServer();
  lead = (await userClient(server, 'lena', 'lead')).client;
  const created = await lead.post('/api/projects', { name: 'export', responsesPerPrompt: 3, labelersPerPrompt: 2, allowTies: true });
  expect(created.status).toBe(201);
  projectId = created.body.project.id as number;
  const prompts = Object.keys(plan.ana ?? {}).map((id) =>
    id === 'chat'
      ? { id, messages: chatMessages, responses: ['chat-a', 'chat-b', 'chat-c'].map((text, i) => ({ text, model: `model-${i}` })) }
      : { id, prompt: `Question ${id}?`, responses: ['a', 'b', 'c'].map((l) => `${id}-${l}`) },
  );
  expect((await lead.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
  for (const name of Object.keys(plan)) {
    const { client, id } = await userClient(server, name);
    expect((await lead.post(`/api/projects/${projectId}/members`, { userId: id })).status).toBe(201);
    for (;;) {
      const next = await client.post(`/api/projects/${projectId}/tasks/next`);
      if (next.status === 204) break;
      const a = next.body.assignment as Assignment;
      const spec = plan[name]?.[a.prompt.externalId] ?? '';
      const res =
        spec === 'skip'
          ? await client.post(`/api/assignments/${a.id}/skip`, { reason: 'not my field' })
          : await client.post(`/api/assignments/${a.id}/submit`, spec === 'not-rankable' ? { notRankable: true } : { ranking: tiersFor(a, spec) });
      expect(res.status).toBe(201);
    }
  }
  // The review page's exclusion is another route; the export only reads the flag it sets.
  await server.store.engine.run("UPDATE prompts SET excluded = 1 WHERE project_id = ? AND external_id = 'p8'", projectId);
});
afterAll(async () => {
  await server?.stop();
});

const formats = ['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo', 'rankings'] as const;

describe('export over HTTP', () => {
  it('writes the same bytes as the CLI for every format, with and without metadata, and for a split', async () => {
    const cases: { query: string; args: string[] }[] = [];
    for (const format of formats) {
      cases.push({ query: `format=${format}`, args: ['--format', format] });
      cases.push({ query: `format=${format}&metadata=false`, args: ['--format', format, '--no-metadata'] });
    }
    cases.push({ query: 'format=trl&split=test&testFraction=0.4&strategy=best-worst', args: ['--split', 'test', '--test-fraction', '0.4', '--strategy', 'best-worst'] });
    cases.push({ query: 'format=trl&aggregation=ranked-pairs&minMargin=1', args: ['--aggregation', 'ranked-pairs', '--min-margin', '1'] });
    cases.push({ query: 'format=openai-dpo&split=train&testFraction=0.4&minLabelers=1', args: ['--format', 'openai-dpo', '--split', 'train', '--test-fraction', '0.4', '--min-labelers', '1'] });
    // Two at a time: each CLI run is a Node start-up, and the box may have two cores.
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases.slice(i, i + 2);
      const runs = await Promise.all(batch.map((c) => cli(c.args)));
      for (const [j, c] of batch.entries()) {
        const run = runs[j]!;
        expect(run.status, run.stderr).toBe(0);
        const api = await lead.get<string>(exportPath(c.query));
        expect(api.status).toBe(200);
        expect(linesOf(api.body).length, c.query).toBeGreaterThan(0);
        expect(run.stdout, c.query).toBe(api.body);
      }
    }
    // Thirteen Node start-ups: on a busy 2-core machine that alone can pass the default minute.
  }, 180_000);

  it('exports the multi-turn prompt with a system message in each format with exactly the documented fields', async () => {
    const pick = (lines: Line[]) => lines.filter((l) => l.podium?.externalId === 'chat');
    const flat = '\n\nHuman: You are terse.\n\nName a colour.\n\nAssistant: Blue.\n\nHuman: Another one?\n\nAssistant:';
    const conversation = chatMessages;
    const trl = pick(await exported('format=trl'));
    expect(trl.map(({ podium, ...rest }) => rest)).toEqual([
      { prompt: flat, chosen: ' chat-b', rejected: ' chat-a', margin: 1 },
      { prompt: flat, chosen: ' chat-b', rejected: ' chat-c', margin: 2 },
      { prompt: flat, chosen: ' chat-a', rejected: ' chat-c', margin: 1 },
    ]);
    expect(trl[0]?.podium).toMatchObject({ externalId: 'chat', chosenMeanRank: 1, rejectedMeanRank: 2, votes: { for: 2, against: 0, tied: 0 }, agreement: 1, labelers: 2, chosenModel: 'model-1', rejectedModel: 'model-0' });
    expect(Object.keys(trl[0]?.podium ?? {}).sort()).toEqual(
      ['agreement', 'chosenId', 'chosenMeanRank', 'chosenModel', 'criterion', 'externalId', 'labelers', 'promptId', 'rejectedId', 'rejectedMeanRank', 'rejectedModel', 'sources', 'votes'].sort(),
    );

    const trlChat = pick(await exported('format=trl-chat'));
    expect(trlChat[0]).toMatchObject({ prompt: conversation, chosen: [{ role: 'assistant', content: 'chat-b' }], rejected: [{ role: 'assistant', content: 'chat-a' }], margin: 1 });
    expect(Object.keys(trlChat[0] ?? {})).toEqual(['prompt', 'chosen', 'rejected', 'margin', 'podium']);

    const hh = pick(await exported('format=hh-rlhf'));
    expect(hh.map(({ podium, ...rest }) => rest)[0]).toEqual({ chosen: `${flat} chat-b`, rejected: `${flat} chat-a` });
    expect(Object.keys(hh[0] ?? {})).toEqual(['chosen', 'rejected', 'podium']);

    const dpo = pick(await exported('format=openai-dpo'));
    expect(dpo.map(({ podium, ...rest }) => rest)[2]).toEqual({
      input: { messages: conversation },
      preferred_output: [{ role: 'assistant', content: 'chat-a' }],
      non_preferred_output: [{ role: 'assistant', content: 'chat-c' }],
    });

    const rankings = (await exported('format=rankings')).filter((l) => l.externalId === 'chat');
    expect(rankings).toHaveLength(1);
    const line = rankings[0] as Record<string, unknown> & { responses: { text: string; model: string; meanRank: number; id: number }[]; consensus: number[][]; rankings: { ranks: number[] }[] };
    expect(Object.keys(line)).toEqual(['promptId', 'externalId', 'prompt', 'responses', 'consensus', 'rankings', 'criterion']);
    expect(line.criterion).toBe('overall');
    expect(line.prompt).toEqual(conversation);
    expect(line.responses.map((r) => [r.text, r.model, r.meanRank])).toEqual([['chat-a', 'model-0', 2], ['chat-b', 'model-1', 1], ['chat-c', 'model-2', 3]]);
    const [a, b, c] = line.responses.map((r) => r.id);
    expect(line.consensus).toEqual([[b], [a], [c]]);
    expect(line.rankings.map((r) => r.ranks)).toEqual([[2, 1, 3], [2, 1, 3]]);
    // Each labeler's tiers under every criterion: here the one default criterion.
    expect(line.rankings.map((r) => (r as unknown as { byCriterion: unknown }).byCriterion)).toEqual([{ overall: [[b], [a], [c]] }, { overall: [[b], [a], [c]] }]);
  });

  it('metadata=false leaves exactly each format\'s own fields', async () => {
    const own: Record<(typeof formats)[number], string[]> = {
      trl: ['prompt', 'chosen', 'rejected', 'margin'],
      'trl-chat': ['prompt', 'chosen', 'rejected', 'margin'],
      'hh-rlhf': ['chosen', 'rejected'],
      'openai-dpo': ['input', 'preferred_output', 'non_preferred_output'],
      rankings: ['promptId', 'externalId', 'prompt', 'responses', 'consensus', 'rankings', 'criterion'],
    };
    for (const format of formats) {
      const lines = await exported(`format=${format}&metadata=false`);
      expect(lines.length, format).toBeGreaterThan(0);
      for (const l of lines) expect(Object.keys(l), format).toEqual(own[format]);
    }
  });

  it('applies strategies and filters over HTTP, and leaves out excluded, not-rankable and under-labelled prompts', async () => {
    const count = async (query: string) => (await exported(query)).length;
    const all = await exported('');
    expect(all).toHaveLength(16);
    expect(new Set(all.map((l) => l.podium?.externalId))).toEqual(new Set(['p1', 'p2', 'p3', 'p5', 'p6', 'chat']));
    // best-worst: p1 a–c, p2 a–c and b–c, p3 a–b and a–c, p5 a–c, p6 c–a, chat b–c
    expect(await count('strategy=best-worst')).toBe(8);
    // best-vs-rest: two per prompt
    expect(await count('strategy=best-vs-rest')).toBe(12);
    // margins ≥ 1.5: p1 a–c (2), p2 both (1.5), p3 both (1.5), p5 a–c (1.75), p6 c–a (2), chat b–c (2)
    expect(await count('minMargin=1.5')).toBe(8);
    // only p5's a over b (one for, one tied: .75) falls under 0.8
    const agreed = await exported('minAgreement=0.8');
    expect(agreed).toHaveLength(15);
    expect(agreed.every((l) => (l.podium?.agreement ?? 0) >= 0.8)).toBe(true);
    // one ranking is enough: p7 joins with its three pairs; p8 (excluded) and p9 (not rankable) still do not
    const loose = await exported('minLabelers=1');
    expect(loose).toHaveLength(19);
    expect(loose.filter((l) => l.podium?.externalId === 'p7')).toHaveLength(3);
    expect(loose.some((l) => ['p8', 'p9'].includes(l.podium?.externalId ?? ''))).toBe(false);
    // rankings: a line per prompt with enough labelers, pairs or not (p4 is a full tie)
    expect((await exported('format=rankings')).map((l) => l.externalId).sort()).toEqual(['chat', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);

    // Ranked pairs: with two labelers every majority is 1–0 or a tie, so the same 16 pairs, but margins count
    // Tideman positions: p5's a over b (mean ranks 1.25 and 1.75) sits one whole place apart.
    const tideman = await exported('aggregation=ranked-pairs');
    expect(tideman.map((l) => `${l.podium?.externalId}:${String(l.chosen)}>${String(l.rejected)}`).sort()).toEqual(all.map((l) => `${l.podium?.externalId}:${String(l.chosen)}>${String(l.rejected)}`).sort());
    const p5ab = (lines: Line[]) => lines.find((l) => l.podium?.externalId === 'p5' && String(l.chosen).endsWith('-a') && String(l.rejected).endsWith('-b'))?.margin;
    expect(p5ab(all)).toBe(0.5);
    expect(p5ab(tideman)).toBe(1);

    const bad = await lead.get(exportPath('format=csv&minAgreement=2&aggregation=borda'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['aggregation', 'format', 'minAgreement']);
  });

  it('splits by prompt: disjoint, together the whole export, and the same on a second call', async () => {
    const all = await lead.get<string>(exportPath('testFraction=0.4'));
    const train = await lead.get<string>(exportPath('split=train&testFraction=0.4'));
    const test = await lead.get<string>(exportPath('split=test&testFraction=0.4'));
    const promptsOf = (body: string) => new Set(linesOf(body).map((l) => (JSON.parse(l) as Line).podium?.promptId));
    expect([...promptsOf(train.body)].filter((p) => promptsOf(test.body).has(p))).toEqual([]);
    expect(linesOf(train.body).length).toBeGreaterThan(0);
    expect(linesOf(test.body).length).toBeGreaterThan(0);
    expect([...linesOf(train.body), ...linesOf(test.body)].sort()).toEqual(linesOf(all.body).sort());
    expect((await lead.get<string>(exportPath('split=train&testFraction=0.4'))).body).toBe(train.body);
    expect((await lead.get<string>(exportPath('split=test&testFraction=0.4'))).body).toBe(test.body);
  });

  it('summary counts equal the streamed lines, per split side, and its preview is the first lines', async () => {
    const queries = ['', 'format=rankings', 'strategy=best-worst&minMargin=1', 'format=hh-rlhf&metadata=false&split=train&testFraction=0.4', 'split=test&testFraction=0.4&minLabelers=1'];
    for (const query of queries) {
      const summary = await lead.get(`/api/projects/${projectId}/export/summary?${query}&preview=3`);
      expect(summary.status, query).toBe(200);
      const streamed = await exported(query);
      expect(summary.body.lines, query).toBe(streamed.length);
      // Lines without metadata carry no prompt id to count prompts by.
      if (!query.includes('metadata=false')) expect(summary.body.prompts, query).toBe(new Set(streamed.map((l) => l.podium?.promptId ?? l.promptId)).size);
      expect(summary.body.preview, query).toEqual(streamed.slice(0, 3));
      const unsplit = query.replace(/split=\w+&?/, '');
      const train = await exported(`${unsplit}&split=train`);
      const test = await exported(`${unsplit}&split=test`);
      expect(summary.body.train.lines, query).toBe(train.length);
      expect(summary.body.test.lines, query).toBe(test.length);
    }
    const defaults = await lead.get(`/api/projects/${projectId}/export/summary`);
    expect(defaults.body).toMatchObject({ lines: 16, prompts: 6, testFraction: 0.1 });
    // p8 excluded, p9 not rankable, p7 ranked once (ben skipped it), p4 a full tie; as docs/formats.md shows.
    expect(defaults.body.skipped).toEqual({ 'prompt-excluded': 1, 'not-rankable': 1, 'below-min-labelers': 1, 'consensus-tied': 1 });
    expect(defaults.body.preview).toHaveLength(5);
    expect((await lead.get(`/api/projects/${projectId}/export/summary?preview=500`)).status).toBe(400);
  });

  it('the manifest names the version, project, settings, counts and agreement, as a download', async () => {
    const res = await lead.get(`/api/projects/${projectId}/export/manifest?format=trl-chat&testFraction=0.4&minMargin=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="podium-${projectId}-trl-chat.manifest.json"`);
    const m = res.body;
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(m.podiumVersion).toBe(version);
    expect(Math.abs(Date.parse(m.generatedAt) - Date.now())).toBeLessThan(60_000);
    expect(m.project).toEqual({ id: projectId, name: 'export', K: 3, R: 2 });
    expect(m.settings).toEqual({ format: 'trl-chat', strategy: 'all', aggregation: 'mean-rank', minLabelers: 2, minMargin: 1, testFraction: 0.4, metadata: true, criterion: 'overall', sources: ['human'] });
    const train = (await exported('format=trl-chat&testFraction=0.4&minMargin=1&split=train')).length;
    const test = (await exported('format=trl-chat&testFraction=0.4&minMargin=1&split=test')).length;
    // margins ≥ 1: all 16 pairs but p5's a–b (0.5)
    expect(m.counts).toEqual({ total: 15, train, test, prompts: 6 });
    expect(train + test).toBe(15);
    // By hand over the counted rankings (p1–p6, chat, and p7's single ranking): labeler pairs agree on
    // 3 + 2 + 2 + 0 + 2.5 + 3 + 3 = 15.5 of 21 response pairs; Kendall's W is 1, .75, .75, 0, 78/84, 1, 1 (p7 has none).
    expect(m.agreement.prompts).toBe(8);
    expect(m.agreement.rankings).toBe(15);
    expect(m.agreement.pairwiseAgreement).toBeCloseTo(15.5 / 21, 12);
    expect(m.agreement.kendallW.mean).toBeCloseTo((1 + 0.75 + 0.75 + 0 + 78 / 84 + 1 + 1) / 7, 12);
    for (const alpha of [m.agreement.krippendorffAlpha.ordinal, m.agreement.krippendorffAlpha.interval]) {
      expect(alpha).toBeGreaterThan(0);
      expect(alpha).toBeLessThan(1);
    }
    // The agreement page's headline figures, over the same counted rankings.
    const page = (await lead.get(`/api/projects/${projectId}/agreement`)).body;
    expect(m.agreement).toEqual({
      prompts: page.prompts,
      rankings: page.rankings,
      pairwiseAgreement: page.pairwiseAgreement,
      kendallW: { mean: page.kendallW.mean },
      krippendorffAlpha: page.krippendorffAlpha,
    });
    expect(Object.keys(m)).toEqual(['podiumVersion', 'generatedAt', 'project', 'settings', 'counts', 'skipped', 'agreement']);
  });

  it('a token exports without a cookie until it is revoked', async () => {
    const created = await lead.post('/api/tokens', { name: 'trainer' });
    expect(created.status).toBe(201);
    const script = new ApiClient(server.url, created.body.token as string);
    const viaToken = await script.get<string>(exportPath('format=trl'));
    expect(viaToken.status).toBe(200);
    expect(viaToken.body).toBe((await lead.get<string>(exportPath('format=trl'))).body);
    expect((await script.get(`/api/projects/${projectId}/export/summary`)).status).toBe(200);
    expect((await script.get(`/api/projects/${projectId}/export/manifest`)).status).toBe(200);
    expect((await lead.request('DELETE', `/api/tokens/${created.body.apiToken.id}`)).status).toBe(200);
    const refused = await script.get(exportPath('format=trl'));
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
  });

  it('stops working when the client goes away mid-stream', async () => {
    const big = await seedRankedProject(server.store.engine, { prompts: 20_000, k: 4, labelers: 3 });
    // Seeding blocks this process (the server's too) for seconds: let the server close the keep-alive sockets that
    // timed out meanwhile, or the next request may be sent on one just as it closes.
    await new Promise((r) => setTimeout(r, 200));
    const total = (await server.admin.get(`/api/projects/${big}/export/summary?preview=0`)).body.lines as number;
    expect(total).toBeGreaterThan(50_000);
    // Counting 20,000 prompts blocks the server as long: the same keep-alive race as after seeding.
    await new Promise((r) => setTimeout(r, 200));
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/projects/${big}/export`, { headers: { cookie: server.admin.cookie }, signal: controller.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    controller.abort();
    await reader.cancel().catch(() => {});

    // The route writes how far it got to the audit log when it stops.
    const ended = (target: string) => server.store.engine.get<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'project.export.end' AND target = ? ORDER BY id DESC LIMIT 1", target);
    let detail: { lines: number; aborted: boolean } | undefined;
    for (let i = 0; i < 200 && !detail; i++) {
      const row = await ended(String(big));
      if (row) detail = JSON.parse(row.detail) as { lines: number; aborted: boolean };
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(detail?.aborted).toBe(true);
    expect(detail?.lines).toBeLessThan(total / 2);
    expect((await server.admin.get('/api/health')).status).toBe(200);
  });
});
