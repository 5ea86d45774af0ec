import { describe, expect, it } from 'vitest';
import { exportLinesForPrompt, exportSettingsSchema, splitKeyOf } from '../../../server/export/export-lines.ts';
import type { ExportPrompt } from '../../../server/export/export-types.ts';
import { splitOf } from '../../../server/ranking/split.ts';

// The seed example (see test/unit/ranking/pairs.test.ts): means r1=2, r2=4/3, r3=8/3; pairs (2,1), (2,3), (1,3).
const seed: ExportPrompt = {
  id: 1,
  externalId: 'seed',
  messages: [{ role: 'user', content: 'Which is best?' }],
  responses: [1, 2, 3].map((id) => ({ id, text: `response ${id}`, model: null })),
  rankings: [
    { labeler: 'A', ranking: [[2], [1], [3]] },
    { labeler: 'B', ranking: [[1], [2], [3]] },
    { labeler: 'C', ranking: [[2], [3], [1]] },
  ],
};

const run = (query: Record<string, string>) => exportLinesForPrompt(seed, exportSettingsSchema.parse(query));
const chosenRejected = (lines: object[]) => lines.map((l) => [(l as { chosen: string }).chosen.slice(1), (l as { rejected: string }).rejected.slice(1)]);

describe('exportSettingsSchema', () => {
  it('defaults to trl, all pairs, 10% test, metadata on, no filters', () => {
    expect(exportSettingsSchema.parse({})).toStrictEqual({ format: 'trl', strategy: 'all', aggregation: 'mean-rank', testFraction: 0.1, metadata: true, sources: ['human'] });
  });

  it('reads query strings: numbers, and "false" as false', () => {
    expect(
      exportSettingsSchema.parse({ format: 'hh-rlhf', strategy: 'best-worst', aggregation: 'ranked-pairs', minLabelers: '3', minMargin: '0.5', minAgreement: '0.6', split: 'test', testFraction: '0.2', metadata: 'false' }),
    ).toStrictEqual({ format: 'hh-rlhf', strategy: 'best-worst', aggregation: 'ranked-pairs', minLabelers: 3, minMargin: 0.5, minAgreement: 0.6, split: 'test', testFraction: 0.2, metadata: false, sources: ['human'] });
    expect(exportSettingsSchema.parse({ metadata: '0' }).metadata).toBe(false);
    expect(exportSettingsSchema.parse({ metadata: 'true' }).metadata).toBe(true);
    expect(exportSettingsSchema.parse({ metadata: false }).metadata).toBe(false);
  });

  it('treats blank fields as absent', () => {
    expect(exportSettingsSchema.parse({ format: '', minMargin: '', split: '', testFraction: '', metadata: '' })).toEqual(exportSettingsSchema.parse({}));
  });

  it('rejects what it cannot read', () => {
    for (const bad of [{ format: 'csv' }, { strategy: 'best' }, { metadata: 'no' }, { testFraction: '1.5' }, { minAgreement: '2' }, { minMargin: '-1' }, { minLabelers: '1.5' }, { minMargin: 'x' }, { split: 'dev' }]) {
      expect(exportSettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('exportLinesForPrompt', () => {
  it('applies the strategy and filters', () => {
    expect(chosenRejected(run({}))).toEqual([['response 2', 'response 1'], ['response 2', 'response 3'], ['response 1', 'response 3']]);
    expect(chosenRejected(run({ strategy: 'best-worst' }))).toEqual([['response 2', 'response 3']]);
    expect(chosenRejected(run({ strategy: 'best-vs-rest' }))).toHaveLength(2);
    expect(chosenRejected(run({ minMargin: '1' }))).toEqual([['response 2', 'response 3']]);
    expect(chosenRejected(run({ minAgreement: '0.7' }))).toEqual([['response 2', 'response 3']]);
    expect(run({ minLabelers: '4' })).toEqual([]);
  });

  it('writes the rankings line only for a prompt with enough counted rankings', () => {
    expect(run({ format: 'rankings' })).toHaveLength(1);
    expect(run({ format: 'rankings', minLabelers: '4' })).toEqual([]);
    expect(exportLinesForPrompt({ ...seed, rankings: [] }, exportSettingsSchema.parse({ format: 'rankings' }))).toEqual([]);
  });

  it('keeps a prompt only on its own side of the split, keyed by its conversation', () => {
    const side = splitOf(splitKeyOf(seed), 0.5);
    const other = side === 'train' ? 'test' : 'train';
    expect(run({ split: side, testFraction: '0.5' })).toHaveLength(3);
    expect(run({ split: other, testFraction: '0.5' })).toEqual([]);
    expect(run({ split: 'train', testFraction: '0' })).toHaveLength(3);
    expect(run({ split: 'test', testFraction: '0' })).toEqual([]);
  });

  it('keys the split by role and whitespace-normalised content, not by id', () => {
    expect(splitKeyOf({ messages: [{ role: 'user', content: '  Which\n\tis  best? ' }] })).toBe('[["user","Which is best?"]]');
    expect(splitKeyOf({ messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }] })).toBe('[["system","S"],["user","Q"]]');
  });
});
