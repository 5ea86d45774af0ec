import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runAgreementCommand } from '../../../server/cli/agreement-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'podium-agreement-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(lines: string[], extra: string[] = []) {
  const file = join(dir, `r${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, lines.join('\n'));
  const out = sink();
  const err = sink();
  const code = await runAgreementCommand(['--rankings', file, ...extra], out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

describe('podium agreement', () => {
  it('prints one JSON object with the DESIGN fields for a good file (ids strings or numbers, ties, blank lines, partial labelers)', async () => {
    // The scipy kendalltau example (tau-b = -0.47140452079103173) as labelers A and B, plus a K = 2 prompt ranked by
    // A and C only, one with a tie.
    const { code, out, err } = await run([
      '{"prompt":"s","labeler":"A","ranking":[["r3"],["r2","r5"],["r1","r4"]]}',
      '',
      '{"prompt":"s","labeler":"B","ranking":[["r5"],["r1","r4"],["r2"],["r3"]]}',
      '{"prompt":2,"labeler":"A","ranking":[[10],[11]]}',
      '   ',
      '{"prompt":2,"labeler":"C","ranking":[[10,11]]}',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(out) as {
      pairwiseAgreement: number;
      kendallW: { mean: number | null; perPrompt: Record<string, number | null> };
      krippendorffAlpha: { ordinal: number | null; interval: number | null };
      labelers: { labeler: string; rankings: number; tauB: number | null }[];
    };
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['pairwiseAgreement', 'kendallW', 'krippendorffAlpha', 'labelers']));
    expect(Object.keys(report.kendallW.perPrompt)).toEqual(['2', 's']);
    // (3 + 0.5) / (10 + 1): the scipy prompt's 3/10 plus a half for the tied K = 2 prompt.
    expect(report.pairwiseAgreement).toBeCloseTo(3.5 / 11, 15);
    expect(report.labelers.map((l) => [l.labeler, l.rankings])).toEqual([['A', 2], ['B', 1], ['C', 1]]);
    expect(report.labelers[1]!.tauB).toBeCloseTo(-0.47140452079103173, 15);
    expect(report.labelers[2]!.tauB).toBeNull();
  });

  it('reports every bad line with its number and computes nothing', async () => {
    const { code, out, err } = await run([
      '{"prompt":"p","labeler":"a","ranking":[["x"],["y"],["z"]]}',
      'not json',
      '{"prompt":"p","labeler":"b","ranking":[["x"],["y","x"]]}',
      '{"prompt":"p","labeler":"c","ranking":[]}',
      '{"prompt":"p","labeler":"d","ranking":[["x"],["y"],["w"]]}',
      '',
      '{"prompt":"p","labeler":"a","ranking":[["z"],["y"],["x"]]}',
      '{"prompt":"p","ranking":[["x"],["y"],["z"]]}',
      '{"prompt":"p","labeler":"e","ranking":[["x"],[],["y","z"]]}',
      '{"prompt":"q","labeler":"e","ranking":[["x"],["y"]]}',
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.trim().split('\n');
    expect(lines.slice(0, -1).map((l) => l.split(':')[0])).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 7', 'line 8', 'line 9']);
    expect(err).toMatch(/line 2: not valid JSON/);
    expect(err).toMatch(/line 3: the ranking repeats response x/);
    expect(err).toMatch(/line 4: ranking: a ranking needs at least one tier/);
    expect(err).toMatch(/line 5: its responses differ from line 1's ranking of prompt p: lacks z; adds w/);
    expect(err).toMatch(/line 7: labeler a already ranked prompt p on line 1/);
    expect(err).toMatch(/line 8: labeler: /);
    expect(err).toMatch(/line 9: ranking\.1: a tier needs at least one response/);
    expect(lines.at(-1)).toMatch(/^7 bad line\(s\)/);
  });

  it('adds bootstrap intervals with --bootstrap N', async () => {
    const lines: string[] = [];
    for (let p = 0; p < 12; p++) {
      lines.push(JSON.stringify({ prompt: p, labeler: 'a', ranking: [['x'], ['y'], ['z']] }));
      lines.push(JSON.stringify({ prompt: p, labeler: 'b', ranking: p % 4 === 0 ? [['z'], ['x'], ['y']] : [['x'], ['y'], ['z']] }));
    }
    const { code, out } = await run(lines, ['--bootstrap', '200']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as { intervals: { pairwiseAgreement: { low: number; high: number; resamples: number } } };
    expect(report.intervals.pairwiseAgreement.resamples).toBe(200);
    expect(report.intervals.pairwiseAgreement.low).toBeLessThanOrEqual(report.intervals.pairwiseAgreement.high);
  });

  it('explains its usage without --rankings, and says when the file cannot be read', async () => {
    const err = sink();
    expect(await runAgreementCommand([], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toMatch(/usage: podium agreement \(--rankings FILE.jsonl \| --project ID\)/);
    expect(await runAgreementCommand(['--rankings', 'x.jsonl', '--bootstrap'], sink().stream, sink().stream)).toBe(2);
    expect(await runAgreementCommand(['--rankings', 'x.jsonl', '--bootstrap', '-3'], sink().stream, sink().stream)).toBe(2);
    const err2 = sink();
    expect(await runAgreementCommand(['--rankings', join(dir, 'missing.jsonl')], sink().stream, err2.stream)).toBe(1);
    expect(err2.text()).toMatch(/cannot read/);
  });
});
