import { z } from 'zod';
import type { PromptPair } from '../ranking/pairs.ts';
import type { ExportPrompt } from './export-types.ts';
import { hhRlhfLine } from './formats/hh-rlhf.ts';
import { openAiDpoLine } from './formats/openai-dpo.ts';
import { rankingsLine } from './formats/rankings.ts';
import { trlChatLine } from './formats/trl-chat.ts';
import { trlLine } from './formats/trl.ts';

export type PairFormat<L extends object = object> = { unit: 'pair'; line: (prompt: ExportPrompt, pair: PromptPair, metadata: boolean) => L };
export type PromptFormat<L extends object = object> = { unit: 'prompt'; line: (prompt: ExportPrompt, metadata: boolean) => L };

export const exportFormatSchema = z.enum(['trl', 'trl-chat', 'hh-rlhf', 'openai-dpo', 'rankings']);
export type ExportFormatName = z.infer<typeof exportFormatSchema>;

/** Every format by its `format=` name; `unit` says whether it writes a line per pair or per prompt. */
export const exportFormats = {
  trl: { unit: 'pair', line: trlLine },
  'trl-chat': { unit: 'pair', line: trlChatLine },
  'hh-rlhf': { unit: 'pair', line: hhRlhfLine },
  'openai-dpo': { unit: 'pair', line: openAiDpoLine },
  rankings: { unit: 'prompt', line: rankingsLine },
} as const satisfies Record<ExportFormatName, PairFormat | PromptFormat>;

export type ExportLine = ReturnType<(typeof exportFormats)[ExportFormatName]['line']>;
