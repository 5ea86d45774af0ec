import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt, PodiumProvenance } from '../export-types.ts';
import { podiumProvenance, responseOf } from './podium-provenance.ts';
import { assistantTurn, chatMessages } from './trl-chat.ts';
import { provenanceJsonOf, responseJsonOf, type PairJson } from './line-json.ts';

type AssistantMessage = { role: 'assistant'; content: string };

/**
 * OpenAI preference (DPO) fine-tuning line. `input.tools` and `input.parallel_tool_calls` are optional in the
 * API reference and Podium prompts have no tools, so only `messages` is written.
 */
export type OpenAiDpoLine = {
  input: { messages: ExportMessage[] };
  preferred_output: AssistantMessage[];
  non_preferred_output: AssistantMessage[];
  podium?: PodiumProvenance;
};

export function openAiDpoLine(prompt: ExportPrompt, pair: PromptPair, metadata: boolean): OpenAiDpoLine {
  const chosen = responseOf(prompt, pair.chosen);
  const rejected = responseOf(prompt, pair.rejected);
  const line: OpenAiDpoLine = {
    input: { messages: chatMessages(prompt.messages) },
    preferred_output: assistantTurn(chosen),
    non_preferred_output: assistantTurn(rejected),
  };
  if (metadata) line.podium = podiumProvenance(prompt, pair, chosen, rejected);
  return line;
}

/** `JSON.stringify(openAiDpoLine(prompt, pair, metadata))` for every pair of the prompt, its texts serialised once. */
export function openAiDpoJson(prompt: ExportPrompt): PairJson {
  const head = `{"input":{"messages":${JSON.stringify(chatMessages(prompt.messages))}},"preferred_output":`;
  const side = responseJsonOf(prompt, assistantTurn);
  const provenance = provenanceJsonOf(prompt);
  return (pair, metadata) => `${head}${side(pair.chosen)},"non_preferred_output":${side(pair.rejected)}${metadata ? `,"podium":${provenance(pair)}` : ''}}`;
}
