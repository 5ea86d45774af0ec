import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt, PodiumProvenance } from '../export-types.ts';
import { podiumProvenance, responseOf } from './podium-provenance.ts';
import { jsonValue, provenanceJsonOf, responseJsonOf, type PairJson } from './line-json.ts';

type AssistantMessage = { role: 'assistant'; content: string };

/** TRL conversational preference format: the prompt is the conversation so far (system turn kept), each side one assistant message. */
export type TrlChatLine = {
  prompt: ExportMessage[];
  chosen: AssistantMessage[];
  rejected: AssistantMessage[];
  margin: number;
  podium?: PodiumProvenance;
};

export function trlChatLine(prompt: ExportPrompt, pair: PromptPair, metadata: boolean): TrlChatLine {
  const chosen = responseOf(prompt, pair.chosen);
  const rejected = responseOf(prompt, pair.rejected);
  const line: TrlChatLine = {
    prompt: chatMessages(prompt.messages),
    chosen: assistantTurn(chosen),
    rejected: assistantTurn(rejected),
    margin: pair.margin,
  };
  if (metadata) line.podium = podiumProvenance(prompt, pair, chosen, rejected);
  return line;
}

/** Copies only role and content, so whatever else a stored message carries never leaks into training files. */
export function chatMessages(messages: readonly ExportMessage[]): ExportMessage[] {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

/** One response as the assistant turn a chat-format side is (trl-chat, openai-dpo). */
export function assistantTurn(response: { text: string }): AssistantMessage[] {
  return [{ role: 'assistant', content: response.text }];
}

/** `JSON.stringify(trlChatLine(prompt, pair, metadata))` for every pair of the prompt, its texts serialised once. */
export function trlChatJson(prompt: ExportPrompt): PairJson {
  const head = `{"prompt":${JSON.stringify(chatMessages(prompt.messages))},"chosen":`;
  const side = responseJsonOf(prompt, assistantTurn);
  const provenance = provenanceJsonOf(prompt);
  return (pair, metadata) => `${head}${side(pair.chosen)},"rejected":${side(pair.rejected)},"margin":${jsonValue(pair.margin)}${metadata ? `,"podium":${provenance(pair)}` : ''}}`;
}
