import { z } from 'zod';
import type { PromptPair } from '../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt } from './export-types.ts';
import { hhRlhfJson, hhRlhfLine, hhTranscriptPrompt } from './formats/hh-rlhf.ts';
import type { PairJson } from './formats/line-json.ts';
import { openAiDpoJson, openAiDpoLine } from './formats/openai-dpo.ts';
import { rankingsLine } from './formats/rankings.ts';
import { chatMessages, trlChatJson, trlChatLine } from './formats/trl-chat.ts';
import { trlJson, trlLine, trlPromptText } from './formats/trl.ts';

/**
 * `context`: the part of every line of a prompt that comes from its messages. Two prompts can only write an identical
 * line when their contexts are identical, which is what the duplicate check looks for across prompts.
 */
export type PairFormat<L extends object = object> = {
  unit: 'pair';
  line: (prompt: ExportPrompt, pair: PromptPair, metadata: boolean) => L;
  context: (messages: readonly ExportMessage[]) => string;
  /** `(pair, metadata) => JSON.stringify(line(prompt, pair, metadata))` for one prompt's pairs, built from its texts serialised once. */
  json: (prompt: ExportPrompt) => PairJson;
};
export type PromptFormat<L extends object = object> = { unit: 'prompt'; line: (prompt: ExportPrompt, metadata: boolean) => L };

export const exportFormatSchema = z.enum(['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo', 'rankings']);
export type ExportFormatName = z.infer<typeof exportFormatSchema>;

function chatJson(messages: readonly ExportMessage[]): string {
  return JSON.stringify(chatMessages(messages));
}

/** Every format by its `format=` name; `unit` says whether it writes a line per pair or per prompt. */
export const exportFormats = {
  trl: { unit: 'pair', line: trlLine, context: trlPromptText, json: trlJson },
  'trl-chat': { unit: 'pair', line: trlChatLine, context: chatJson, json: trlChatJson },
  'hh-rlhf': { unit: 'pair', line: hhRlhfLine, context: hhTranscriptPrompt, json: hhRlhfJson },
  'openai-dpo': { unit: 'pair', line: openAiDpoLine, context: chatJson, json: openAiDpoJson },
  rankings: { unit: 'prompt', line: rankingsLine },
} as const satisfies Record<ExportFormatName, PairFormat | PromptFormat>;

export type ExportLine = ReturnType<(typeof exportFormats)[ExportFormatName]['line']>;
