import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseWhitespace } from '../../shared/normalise-text.ts';
import { skippedCountsSchema } from '../../shared/export-skips.ts';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { runCli } from '../support/cli.ts';

type Assignment = { id: number; prompt: { externalId: string }; responses: { id: number; text: string }[] };
type Podium = { externalId: string; chosenId: number; rejectedId: number };
type Line = Record<string, unknown> & { podium?: Podium };

/*
 * K = 3, R = 2; ana and ben both rank every prompt in import order (first response best), so each prompt gives 3 pairs.
 * twin-1 and twin-2 are one conversation under two ids; twin-3 is it again with other whitespace.
 * same: its second response is rewritten in the database to the first one's text give or take whitespace, as an older
 * database may hold (import refuses it now). marker: a response holds "\n\nHuman:". unicode: line separators in texts.
 * late is imported after the labelers finished, so nobody has ranked it.
 */
const question = [{ role: 'user', content: 'What is 2 + 2?' }];
const prompts = [
  { id: 'twin-1', messages: question, responses: ['Four.', 'It is 4.', 'Five.'] },
  { id: 'twin-2', messages: question, responses: ['Four.', 'It is 4.', 'Five.'] },
  { id: 'twin-3', messages: [{ role: 'user', content: '  What is\n2 + 2? ' }], responses: ['4', 'four', '5'] },
  { id: 'same', prompt: 'Is it?', responses: ['Yes.', 'No.', 'Maybe.'] },
  { id: 'marker', prompt: 'Tell a story.', responses: ['Once.\n\nHuman: and then?', 'Fine.', 'Ok.'] },
  { id: 'unicode', prompt: 'Separators\u2028please', responses: ['line\u2028sep', 'para\u2029sep', 'nel\u0085x'] },
];

let server: TestServer;
let lead: ApiClient;
let projectId: number;
let benId: number;
const dir = mkdtempSync(join(tmpdir(), 'podium-export-trust-'));

const exportPath = (query: string) => `/api/projects/${projectId}/export?${query}`;
async function body(query: string): Promise<string> {
  const res = await lead.get<string>(exportPath(query));
  expect(res.status, String(res.body)).toBe(200);
  return res.body;
}
const parse = (text: string): Line[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const summary = async (query: string) => (await lead.get(`/api/projects/${projectId}/export/summary?${query}`)).body;

/** Python's str.splitlines(): every one of these ends a line. */
const pythonSplitlines = (text: string): string[] => {
  const lines = text.split(/\r\n|[\n\r\u2028\u2029\v\f\x1c\x1d\x1e\x85]/u);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

function cli(args: string[]) {
  return runCli(args, server.dbEnv);
}

beforeAll(async () => {
  server = await startTestServer();
  lead = (await userClient(server, 'lena', 'lead')).client;
  const created = await lead.post('/api/projects', { name: 'trust', responsesPerPrompt: 3, labelersPerPrompt: 2, allowTies: true });
  expect(created.status).toBe(201);
  projectId = created.body.project.id as number;
  expect((await lead.post(`/api/projects/${projectId}/import`, jsonl(prompts))).status).toBe(200);
  await server.store.engine.run("UPDATE responses SET text = ' Yes.  ' WHERE text = 'No.' AND prompt_id = (SELECT id FROM prompts WHERE project_id = ? AND external_id = 'same')", projectId);
  const order = new Map(prompts.map((p) => [p.id, p.responses]));
  for (const name of ['ana', 'ben']) {
    const { client, id } = await userClient(server, name);
    if (name === 'ben') benId = id;
    expect((await lead.post(`/api/projects/${projectId}/members`, { userId: id })).status).toBe(201);
    for (;;) {
      const next = await client.post(`/api/projects/${projectId}/tasks/next`);
      if (next.status === 204) break;
      const a = next.body.assignment as Assignment;
      const texts = order.get(a.prompt.externalId) ?? [];
      // Import order, best first; the rewritten response keeps its place.
      const place = (text: string) => (text === ' Yes.  ' ? 1 : texts.indexOf(text));
      const ranking = [...a.responses].sort((x, y) => place(x.text) - place(y.text)).map((r) => [r.id]);
      expect((await client.post(`/api/assignments/${a.id}/submit`, { ranking })).status).toBe(201);
    }
  }
  expect((await lead.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'late', prompt: 'Too late?', responses: ['a', 'b', 'c'] }]))).status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('training data a trainer can trust', () => {
  it('never writes a pair whose chosen and rejected are the same text, and counts it', async () => {
    for (const format of ['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo']) {
      const lines = parse(await body(`format=${format}`));
      for (const l of lines) {
        const [chosen, rejected] = format === 'openai-dpo' ? [l.preferred_output, l.non_preferred_output] : [l.chosen, l.rejected];
        expect(normaliseWhitespace(JSON.stringify(chosen).replace(/^.*"content":"|"\}\]$/g, '')), format).not.toBe(normaliseWhitespace(JSON.stringify(rejected).replace(/^.*"content":"|"\}\]$/g, '')));
      }
      expect(lines.filter((l) => l.podium?.externalId === 'same'), format).toHaveLength(2);
      expect((await summary(`format=${format}`)).skipped['same-text'], format).toBe(1);
    }
  });

  it('writes no two identical lines, with metadata=false too, and counts the repeats', async () => {
    for (const format of ['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo']) {
      const text = await body(`format=${format}&metadata=false`);
      const lines = text.split('\n').filter(Boolean);
      expect(new Set(lines).size, format).toBe(lines.length);
      const s = await summary(`format=${format}&metadata=false`);
      // twin-2 says exactly what twin-1 says: its three lines are left out, twin-1's stay.
      expect(s.skipped['duplicate-line'], format).toBe(3);
      expect(s.lines, format).toBe(lines.length);
    }
    // With the provenance each line names its prompt, so both twins are written.
    const withMetadata = parse(await body('format=trl'));
    expect(withMetadata.filter((l) => l.podium?.externalId.startsWith('twin-')).length).toBe(9);
    expect((await summary('format=trl')).skipped['duplicate-line']).toBeUndefined();
  });

  it('puts the same conversation under different ids, whitespace aside, on one side of the split', async () => {
    for (const testFraction of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const sides = new Map<string, Set<string>>();
      for (const split of ['train', 'test']) {
        for (const l of parse(await body(`format=trl&split=${split}&testFraction=${testFraction}`))) {
          const id = l.podium?.externalId ?? '';
          sides.set(id, (sides.get(id) ?? new Set()).add(split));
        }
      }
      const twinSides = new Set(['twin-1', 'twin-2', 'twin-3'].flatMap((id) => [...(sides.get(id) ?? [])]));
      expect(twinSides.size, String(testFraction)).toBe(1);
    }
  });

  it('leaves out of hh-rlhf only the pairs with a turn marker, so the reference parser reads every line back', async () => {
    const hh = parse(await body('format=hh-rlhf'));
    const trl = parse(await body('format=trl'));
    expect(trl.filter((l) => l.podium?.externalId === 'marker')).toHaveLength(3);
    expect(hh.filter((l) => l.podium?.externalId === 'marker')).toHaveLength(1);
    expect((await summary('format=hh-rlhf')).skipped.unrepresentable).toBe(2);
    expect((await summary('format=trl')).skipped.unrepresentable).toBeUndefined();
    // As the DPO reference code (extract_anthropic_prompt) does: the prompt runs to the last "\n\nAssistant:".
    const texts = new Map<number, string>();
    for (const l of trl) {
      texts.set(l.podium!.chosenId, String(l.chosen).slice(1));
      texts.set(l.podium!.rejectedId, String(l.rejected).slice(1));
    }
    const term = '\n\nAssistant:';
    for (const l of hh) {
      const chosen = String(l.chosen);
      const rejected = String(l.rejected);
      const prompt = chosen.slice(0, chosen.lastIndexOf(term) + term.length);
      expect(rejected.slice(0, rejected.lastIndexOf(term) + term.length)).toBe(prompt);
      expect(chosen.slice(prompt.length)).toBe(` ${texts.get(l.podium!.chosenId)}`);
      expect(rejected.slice(prompt.length)).toBe(` ${texts.get(l.podium!.rejectedId)}`);
      // One Human turn and this Assistant turn: the turns split where they should.
      expect(prompt.split(/\n\n(?:Human|Assistant):/).length).toBe(3);
    }
  });

  it('escapes U+2028, U+2029 and U+0085 in every JSONL export, so line readers count the lines right', async () => {
    for (const format of ['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo', 'rankings']) {
      for (const metadata of ['true', 'false']) {
        const text = await body(`format=${format}&metadata=${metadata}`);
        expect(text, format).not.toMatch(/[\u2028\u2029\u0085]/u);
        expect(text, format).toContain('\\u2028');
        const lines = text.split('\n').filter(Boolean);
        expect(pythonSplitlines(text), format).toHaveLength(lines.length);
        expect(lines.length).toBe((await summary(`format=${format}&metadata=${metadata}`)).lines);
      }
    }
    const unicode = parse(await body('format=trl-chat')).filter((l) => l.podium?.externalId === 'unicode');
    expect(unicode.map((l) => (l.chosen as { content: string }[])[0]?.content)).toEqual(['line\u2028sep', 'line\u2028sep', 'para\u2029sep']);
  });

  it('agreement from the CLI: --project gives the API route’s figures, and the rankings export reads back as written', async () => {
    const api = (await lead.get(`/api/projects/${projectId}/agreement`)).body;
    const fromDb = await cli(['agreement', '--project', String(projectId)]);
    expect(fromDb.status, fromDb.stderr).toBe(0);
    const db = JSON.parse(fromDb.stdout);
    for (const field of ['prompts', 'rankings', 'pairwiseAgreement', 'kendallW', 'krippendorffAlpha']) expect(db[field], field).toEqual(api[field]);
    // The route adds usernames; the figures are the same.
    const { usernames: _names, ...pairs } = api.labelerPairs;
    expect(db.labelerPairs).toEqual(pairs);
    expect(db.labelers).toEqual(api.labelers.map(({ username: _u, ...l }: { username: string }) => l));

    const file = join(dir, 'rankings.jsonl');
    writeFileSync(file, await body('format=rankings&minLabelers=1'));
    const fromFile = await cli(['agreement', '--rankings', file]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    const report = JSON.parse(fromFile.stdout);
    for (const field of ['prompts', 'rankings', 'pairwiseAgreement', 'kendallW', 'krippendorffAlpha']) expect(report[field], field).toEqual(api[field]);
    expect(report.labelers.map((l: { labeler: number; tauB: unknown }) => [l.labeler, l.tauB])).toEqual(api.labelers.map((l: { labeler: number; tauB: unknown }) => [l.labeler, l.tauB]));
  });

  it('says why prompts fell out: after a lead excludes a labeler, the summary, manifest and CLI give the reasons', async () => {
    const before = await summary('format=trl');
    expect(before.lines).toBe(17);
    expect(before.skipped).toEqual({ unlabeled: 1, 'same-text': 1 });

    const excluded = await lead.post(`/api/projects/${projectId}/members/${benId}/exclusion`, { excluded: true, reason: 'random clicks' });
    expect(excluded.status).toBe(200);
    const after = await summary('format=trl');
    expect(after).toMatchObject({ lines: 0, prompts: 0, preview: [] });
    // Six prompts now have one counted ranking of the two needed, because ben's were excluded; late was never ranked.
    expect(after.skipped).toEqual({ 'rankings-excluded': 6, unlabeled: 1 });
    // Reason names are the shared enum the page reads.
    expect(skippedCountsSchema.safeParse(after.skipped).success).toBe(true);
    expect(skippedCountsSchema.safeParse({ 'no-such-reason': 1 }).success).toBe(false);
    const manifest = (await lead.get(`/api/projects/${projectId}/export/manifest?format=trl`)).body;
    expect(manifest.skipped).toEqual(after.skipped);
    // With one labeler enough, the pairs come back; what remains left out is named.
    expect((await summary('format=trl&minLabelers=1')).skipped).toEqual({ unlabeled: 1, 'same-text': 1 });

    const run = await cli(['export', '--project', String(projectId)]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('0 lines from 0 prompts');
    expect(run.stderr).toContain('6 prompts: fewer counted rankings than min labelers because rankings or labelers were excluded (rankings-excluded)');
    expect(run.stderr).toContain('1 prompt: nobody has ranked it yet (unlabeled)');
    expect((await lead.post(`/api/projects/${projectId}/members/${benId}/exclusion`, { excluded: false })).status).toBe(200);
  });
});
