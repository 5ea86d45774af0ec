import { describe, expect, it } from 'vitest';
import { exportLinesForPrompt, exportSettingsSchema } from '../../../server/export/export-lines.ts';
import type { ExportPrompt, PodiumProvenance } from '../../../server/export/export-types.ts';
import { exportFormats, exportFormatSchema } from '../../../server/export/format-registry.ts';
import { hhTranscriptPrompt } from '../../../server/export/formats/hh-rlhf.ts';
import { trlPromptText } from '../../../server/export/formats/trl.ts';

/*
 * Multi-turn prompt with a system message. A ranks [[10],[11]] → 10=1, 11=2; B ties [[10,11]] → both 1.5.
 * Means 10=1.25, 11=1.75: one pair (10 over 11), margin 0.5, votes A for, B tied → 1/0/1, agreement (1 + 1/2)/2 = 0.75.
 */
const chat: ExportPrompt = {
  id: 7,
  externalId: 'colours-2',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Name a colour.' },
    { role: 'assistant', content: 'Blue.' },
    { role: 'user', content: 'Another one?' },
  ],
  responses: [
    { id: 10, text: 'Green.', model: 'model-a' },
    { id: 11, text: 'Blue again.', model: 'model-b' },
  ],
  rankings: [
    { labeler: 'A', ranking: [[10], [11]] },
    { labeler: 'B', ranking: [[10, 11]] },
  ],
};

/* Single user turn; one labeler: 2 best, 1 worst → one pair, margin 1, 1/0/0, agreement 1. */
const single: ExportPrompt = {
  id: 3,
  externalId: null,
  messages: [{ role: 'user', content: 'The sky is' }],
  responses: [
    { id: 1, text: ' green.', model: null },
    { id: 2, text: ' blue.', model: 'sft-1' },
  ],
  rankings: [{ labeler: 5, ranking: [[2], [1]] }],
};

const chatPodium: PodiumProvenance = {
  promptId: 7,
  externalId: 'colours-2',
  chosenId: 10,
  rejectedId: 11,
  chosenMeanRank: 1.25,
  rejectedMeanRank: 1.75,
  votes: { for: 1, against: 0, tied: 1 },
  agreement: 0.75,
  labelers: 2,
  chosenModel: 'model-a',
  rejectedModel: 'model-b',
  sources: ['human'],
};

const singlePodium: PodiumProvenance = {
  promptId: 3,
  externalId: null,
  chosenId: 2,
  rejectedId: 1,
  chosenMeanRank: 1,
  rejectedMeanRank: 2,
  votes: { for: 1, against: 0, tied: 0 },
  agreement: 1,
  labelers: 1,
  chosenModel: 'sft-1',
  rejectedModel: null,
  sources: ['human'],
};

const hhContext = '\n\nHuman: You are terse.\n\nName a colour.\n\nAssistant: Blue.\n\nHuman: Another one?\n\nAssistant:';

function lines(prompt: ExportPrompt, format: string, metadata = true) {
  return exportLinesForPrompt(prompt, exportSettingsSchema.parse({ format, metadata: String(metadata) }));
}

describe('trl', () => {
  it('renders a lone user message in the same turns as any prompt, the separating space starting each completion', () => {
    expect(lines(single, 'trl')).toStrictEqual([{ prompt: '\n\nHuman: The sky is\n\nAssistant:', chosen: '  blue.', rejected: '  green.', margin: 1, podium: singlePodium }]);
  });

  it('flattens a multi-turn prompt with a system message into hh-rlhf turns ending in "\\n\\nAssistant:"', () => {
    expect(lines(chat, 'trl')).toStrictEqual([{ prompt: hhContext, chosen: ' Green.', rejected: ' Blue again.', margin: 0.5, podium: chatPodium }]);
  });

  it('keeps exactly prompt, chosen, rejected, margin with metadata=false', () => {
    expect(lines(chat, 'trl', false)).toStrictEqual([{ prompt: hhContext, chosen: ' Green.', rejected: ' Blue again.', margin: 0.5 }]);
    expect(Object.keys(lines(single, 'trl', false)[0] as object)).toEqual(['prompt', 'chosen', 'rejected', 'margin']);
  });
});

describe('trl-chat', () => {
  it('keeps the conversation, system turn included, as the prompt and one assistant message per side', () => {
    expect(lines(chat, 'trl-chat')).toStrictEqual([
      {
        prompt: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Name a colour.' },
          { role: 'assistant', content: 'Blue.' },
          { role: 'user', content: 'Another one?' },
        ],
        chosen: [{ role: 'assistant', content: 'Green.' }],
        rejected: [{ role: 'assistant', content: 'Blue again.' }],
        margin: 0.5,
        podium: chatPodium,
      },
    ]);
  });

  it('matches TRL’s conversational preference example shape for a single turn, without metadata', () => {
    expect(lines(single, 'trl-chat', false)).toStrictEqual([
      {
        prompt: [{ role: 'user', content: 'The sky is' }],
        chosen: [{ role: 'assistant', content: ' blue.' }],
        rejected: [{ role: 'assistant', content: ' green.' }],
        margin: 1,
      },
    ]);
  });

  it('copies only role and content from stored messages', () => {
    const extra = { ...single, messages: [{ role: 'user' as const, content: 'q', name: 'x' }] };
    expect(lines(extra, 'trl-chat', false)[0]).toMatchObject({ prompt: [{ role: 'user', content: 'q' }] });
    expect((lines(extra, 'trl-chat', false)[0] as { prompt: object[] }).prompt[0]).toStrictEqual({ role: 'user', content: 'q' });
  });
});

describe('hh-rlhf', () => {
  it('writes both full transcripts, the system message prepended to the first Human turn', () => {
    expect(lines(chat, 'hh-rlhf')).toStrictEqual([{ chosen: `${hhContext} Green.`, rejected: `${hhContext} Blue again.`, podium: chatPodium }]);
  });

  it('starts with "\\n\\nHuman: " for a single turn and keeps exactly chosen, rejected with metadata=false', () => {
    expect(lines(single, 'hh-rlhf', false)).toStrictEqual([
      { chosen: '\n\nHuman: The sky is\n\nAssistant:  blue.', rejected: '\n\nHuman: The sky is\n\nAssistant:  green.' },
    ]);
  });
});

describe('openai-dpo', () => {
  it('puts the conversation in input.messages and one assistant message in each output', () => {
    expect(lines(chat, 'openai-dpo')).toStrictEqual([
      {
        input: {
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: 'Name a colour.' },
            { role: 'assistant', content: 'Blue.' },
            { role: 'user', content: 'Another one?' },
          ],
        },
        preferred_output: [{ role: 'assistant', content: 'Green.' }],
        non_preferred_output: [{ role: 'assistant', content: 'Blue again.' }],
        podium: chatPodium,
      },
    ]);
  });

  it('keeps exactly input, preferred_output, non_preferred_output with metadata=false', () => {
    expect(lines(single, 'openai-dpo', false)).toStrictEqual([
      {
        input: { messages: [{ role: 'user', content: 'The sky is' }] },
        preferred_output: [{ role: 'assistant', content: ' blue.' }],
        non_preferred_output: [{ role: 'assistant', content: ' green.' }],
      },
    ]);
  });
});

describe('rankings', () => {
  it('writes one line per prompt with every response, its mean rank and each labeler’s fractional ranks', () => {
    const expected = {
      promptId: 7,
      externalId: 'colours-2',
      prompt: chat.messages,
      responses: [
        { id: 10, text: 'Green.', model: 'model-a', meanRank: 1.25 },
        { id: 11, text: 'Blue again.', model: 'model-b', meanRank: 1.75 },
      ],
      consensus: [[10], [11]],
      rankings: [
        { labeler: 'A', ranks: [1, 2] },
        { labeler: 'B', ranks: [1.5, 1.5] },
      ],
    };
    expect(lines(chat, 'rankings')).toStrictEqual([expected]);
    expect(lines(chat, 'rankings', false)).toStrictEqual([expected]);
  });

  it('writes a line for a prompt whose consensus is one tie, and null for a response nobody ranked', () => {
    const tied: ExportPrompt = {
      ...single,
      responses: [...single.responses, { id: 4, text: 'late', model: null }],
      rankings: [{ labeler: 5, ranking: [[1, 2]] }],
    };
    expect(lines(tied, 'rankings')).toStrictEqual([
      {
        promptId: 3,
        externalId: null,
        prompt: [{ role: 'user', content: 'The sky is' }],
        responses: [
          { id: 1, text: ' green.', model: null, meanRank: 1.5 },
          { id: 2, text: ' blue.', model: 'sft-1', meanRank: 1.5 },
          { id: 4, text: 'late', model: null, meanRank: null },
        ],
        consensus: [[1, 2]],
        rankings: [{ labeler: 5, ranks: [1.5, 1.5, null] }],
      },
    ]);
    expect(lines(tied, 'trl')).toEqual([]);
  });
});

describe('hhTranscriptPrompt', () => {
  it('gives a system message with no Human turn after it a Human turn of its own', () => {
    expect(hhTranscriptPrompt([{ role: 'system', content: 'S' }, { role: 'assistant', content: 'Hi.' }, { role: 'user', content: 'Q' }])).toBe(
      '\n\nHuman: S\n\nAssistant: Hi.\n\nHuman: Q\n\nAssistant:',
    );
    expect(hhTranscriptPrompt([{ role: 'user', content: 'Q' }, { role: 'system', content: 'S' }])).toBe('\n\nHuman: Q\n\nHuman: S\n\nAssistant:');
  });

  it('joins consecutive system messages', () => {
    expect(hhTranscriptPrompt([{ role: 'system', content: 'S1' }, { role: 'system', content: 'S2' }, { role: 'user', content: 'Q' }])).toBe(
      '\n\nHuman: S1\n\nS2\n\nQ\n\nAssistant:',
    );
  });

  it('is what trl uses for every prompt, so that trl prompt + chosen is the hh-rlhf chosen', () => {
    expect(trlPromptText([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }])).toBe('\n\nHuman: S\n\nQ\n\nAssistant:');
    for (const prompt of [chat, single]) {
      const trl = lines(prompt, 'trl', false)[0] as { prompt: string; chosen: string };
      expect(trl.prompt + trl.chosen).toBe((lines(prompt, 'hh-rlhf', false)[0] as { chosen: string }).chosen);
    }
    expect(trlPromptText([{ role: 'user', content: 'Q' }])).toBe('\n\nHuman: Q\n\nAssistant:');
  });
});

describe('format registry', () => {
  it('names every format once, rankings per prompt and the rest per pair', () => {
    expect(Object.keys(exportFormats).sort()).toEqual([...exportFormatSchema.options].sort());
    expect(Object.fromEntries(Object.entries(exportFormats).map(([name, f]) => [name, f.unit]))).toEqual({
      trl: 'pair',
      'trl-chat': 'pair',
      'hh-rlhf': 'pair',
      'openai-dpo': 'pair',
      rankings: 'prompt',
    });
  });

  it('writes lines that survive a JSON round trip unchanged', () => {
    for (const format of exportFormatSchema.options) {
      for (const line of lines(chat, format)) expect(JSON.parse(JSON.stringify(line))).toStrictEqual(line);
    }
  });
});
