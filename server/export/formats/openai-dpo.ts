import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt, PodiumProvenance } from '../export-types.ts';
import { podiumProvenance, responseOf } from './podium-provenance.ts';
import { chatMessages } from './trl-chat.ts';

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
    preferred_output: [{ role: 'assistant', content: chosen.text }],
    non_preferred_output: [{ role: 'assistant', content: rejected.text }],
  };
  if (metadata) line.podium = podiumProvenance(prompt, pair, chosen, rejected);
  return line;
}
