import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/r50k_base';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../server/paths.ts';
import { exportLinesForPrompt, exportSettingsSchema } from '../../../server/export/export-lines.ts';
import type { ExportMessage, ExportPrompt } from '../../../server/export/export-types.ts';

type TrlLine = { prompt: string; chosen: string; rejected: string };

/** Every pair of K responses: one labeler ranking them in the order given, so all K(K-1)/2 pairs come out. */
function prompt(id: number, messages: ExportMessage[], texts: string[]): ExportPrompt {
  const responses = texts.map((text, i) => ({ id: id * 100 + i, text, model: null }));
  return { id, externalId: `p${id}`, messages, responses, rankings: [{ labeler: 1, ranking: responses.map((r) => [r.id]) }] };
}

const settings = exportSettingsSchema.parse({ format: 'trl', minLabelers: '1' });
const trlLines = (p: ExportPrompt) => exportLinesForPrompt(p, settings) as TrlLine[];

/**
 * What DPOTrainer relies on (it tokenizes prompt and prompt + completion apart and takes the tail as the completion):
 * GPT-2's BPE (r50k_base) gives the same ids for the prompt alone followed by the completion alone as for both joined.
 */
function expectCleanBoundary(line: TrlLine): void {
  expect(line.prompt).not.toMatch(/\s$/u);
  for (const completion of [line.chosen, line.rejected]) {
    expect(completion).toMatch(/^\s/u);
    expect([...encode(line.prompt), ...encode(completion)]).toEqual(encode(line.prompt + completion));
  }
}

const demo = readFileSync(join(repoRoot, 'data/demo/prompts.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { prompt?: string; messages?: ExportMessage[]; responses: (string | { text: string })[] });

describe('trl at the token boundary (GPT-2 BPE, gpt-tokenizer r50k_base)', () => {
  it('holds on every line of the demo data, with one rendering for every prompt', () => {
    let checked = 0;
    demo.forEach((line, i) => {
      const messages = line.messages ?? [{ role: 'user' as const, content: line.prompt ?? '' }];
      const texts = line.responses.map((r) => (typeof r === 'string' ? r : r.text));
      for (const l of trlLines(prompt(i + 1, messages, texts))) {
        expectCleanBoundary(l);
        expect(l.prompt.startsWith('\n\nHuman: ')).toBe(true);
        expect(l.prompt.endsWith('\n\nAssistant:')).toBe(true);
        checked++;
      }
    });
    // 44 prompts (four added with the second criterion) × K = 4 → 6 pairs each.
    expect(checked).toBe(264);
  });

  it('holds for the edge cases: whitespace around responses, leading punctuation, multi-turn, system message, unicode', () => {
    const responses = [
      'Hi, could you tell me more?',
      ', could you',
      '  two leading spaces',
      '\n\nstarts with a blank line',
      'ends with whitespace \n',
      '\tTab first',
      "'s a contraction first",
      '...and punctuation',
      '42 is a number',
      'héllo — naïve café 日本語 😀',
      '\u00a0non-breaking space first',
      '',
    ];
    const prompts: ExportMessage[][] = [
      [{ role: 'user', content: 'The sky is' }],
      [{ role: 'user', content: 'Trailing whitespace in the question \n\n' }],
      [{ role: 'user', content: 'Ends with punctuation:' }],
      [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Name a colour.' }],
      [{ role: 'user', content: 'Name a colour.' }, { role: 'assistant', content: 'Blue. ' }, { role: 'user', content: '  Another?' }],
      [{ role: 'system', content: 'Réponds en français.' }, { role: 'user', content: '¿Qué tal? 你好' }, { role: 'assistant', content: 'Bien 😀' }, { role: 'user', content: 'Et toi ?' }],
    ];
    let checked = 0;
    prompts.forEach((messages, i) => {
      const lines = trlLines(prompt(i + 1, messages, responses));
      // 12 responses, all texts different, one "" among them: every pair of distinct texts.
      expect(lines).toHaveLength((12 * 11) / 2);
      for (const l of lines) {
        expectCleanBoundary(l);
        checked++;
      }
    });
    expect(checked).toBe(6 * 66);
  });

  it('fails the check with the old rendering, so the test can tell', () => {
    // A single-turn prompt written verbatim, as before: its last punctuation and the response's first join one run.
    const old = { prompt: 'Is it a question?', chosen: '! Not really.' };
    expect([...encode(old.prompt), ...encode(old.chosen)]).not.toEqual(encode(old.prompt + old.chosen));
    // The flattened one ended in "Assistant: ": the space and the first word merge into one token.
    const flat = { prompt: '\n\nHuman: Say hello\n\nAssistant: ', chosen: 'Hi' };
    expect([...encode(flat.prompt), ...encode(flat.chosen)]).not.toEqual(encode(flat.prompt + flat.chosen));
  });

  it('keeps each response verbatim after the one separating space', () => {
    const texts = ['  padded  ', 'plain'];
    const [line] = trlLines(prompt(1, [{ role: 'user', content: 'q' }], texts));
    expect(line?.chosen).toBe('   padded  ');
    expect(line?.chosen.slice(1)).toBe(texts[0]);
    expect(line?.rejected.slice(1)).toBe(texts[1]);
  });
});
