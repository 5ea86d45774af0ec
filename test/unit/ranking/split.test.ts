import { describe, expect, it } from 'vitest';
import { promptContentKey, splitOf, splitPoint } from '../../../server/ranking/split.ts';
import { exportLinesForPrompt, exportSettingsSchema } from '../../../server/export/export-lines.ts';
import type { ExportPrompt } from '../../../server/export/export-types.ts';

describe('promptContentKey', () => {
  it('is the same for one conversation whatever its whitespace, and matches the Python in docs/formats.md', () => {
    const a = promptContentKey([{ role: 'user', content: 'What is 2 + 2?' }]);
    const b = promptContentKey([{ role: 'user', content: '  What is\n2 +\u00a0 2? ' }]);
    expect(a).toBe('[["user","What is 2 + 2?"]]');
    expect(b).toBe(a);
    // Values printed by the docs' content_key and split_point.
    expect(splitPoint(a)).toBe(0.011114891851320863);
    const multi = promptContentKey([{ role: 'system', content: 'Réponds en français.' }, { role: 'user', content: '¿Qué tal? 你好 😀' }]);
    expect(multi).toBe('[["system","Réponds en français."],["user","¿Qué tal? 你好 😀"]]');
    expect(splitPoint(multi)).toBe(0.19926355383358896);
  });

  it('tells roles, turns and case apart', () => {
    const user = promptContentKey([{ role: 'user', content: 'Hi' }]);
    expect(promptContentKey([{ role: 'system', content: 'Hi' }])).not.toBe(user);
    expect(promptContentKey([{ role: 'user', content: 'hi' }])).not.toBe(user);
    expect(promptContentKey([{ role: 'user', content: 'Hi' }, { role: 'user', content: '' }])).not.toBe(user);
  });
});

describe('splitOf', () => {
  it('matches the reference implementation in docs/formats.md, non-ASCII keys included', () => {
    // Values printed by the Python snippet in docs/formats.md (FNV-1a over UTF-8, then murmur3 fmix32).
    expect(splitPoint('prompt-1')).toBe(0.5004663255531341);
    expect(splitPoint('42')).toBe(0.15985374082811177);
    expect(splitPoint('héllo')).toBe(0.9775321290362626);
    expect(splitPoint('日本')).toBe(0.9375696850474924);
    expect(splitPoint('😀x')).toBe(0.39879703847691417);
  });

  it('puts the same key on the same side every time', () => {
    for (const key of ['a', 'prompt-7', '123']) {
      const side = splitOf(key, 0.3);
      for (let i = 0; i < 5; i++) expect(splitOf(key, 0.3)).toBe(side);
    }
  });

  it('sends about testFraction of 10,000 ids to test', () => {
    for (const fraction of [0.1, 0.25, 0.5]) {
      let test = 0;
      for (let i = 0; i < 10_000; i++) if (splitOf(String(i), fraction) === 'test') test++;
      // Binomial sd at 0.5 is 0.005; 0.015 is three of them.
      expect(Math.abs(test / 10_000 - fraction)).toBeLessThan(0.015);
    }
  });

  it('sends nothing to test at 0 and everything at 1', () => {
    for (let i = 0; i < 1000; i++) {
      expect(splitOf(`p${i}`, 0)).toBe('train');
      expect(splitOf(`p${i}`, 1)).toBe('test');
    }
  });

  it('grows the test side monotonically: a prompt in test at 0.1 stays in test at 0.2', () => {
    for (let i = 0; i < 1000; i++) if (splitOf(`p${i}`, 0.1) === 'test') expect(splitOf(`p${i}`, 0.2)).toBe('test');
  });

  it('keeps all pairs of a prompt on one side of the export', () => {
    const prompt = (externalId: string): ExportPrompt => ({
      id: 1,
      externalId,
      messages: [{ role: 'user', content: 'q' }],
      responses: [1, 2, 3].map((id) => ({ id, text: `t${id}`, model: null })),
      rankings: [{ labeler: 'A', ranking: [[1], [2], [3]] }],
    });
    const train = exportSettingsSchema.parse({ split: 'train', testFraction: '0.5' });
    const test = exportSettingsSchema.parse({ split: 'test', testFraction: '0.5' });
    for (let i = 0; i < 200; i++) {
      const p = prompt(`q${i}`);
      const counts = [exportLinesForPrompt(p, train).length, exportLinesForPrompt(p, test).length].sort();
      expect(counts).toEqual([0, 3]);
    }
  });
});
