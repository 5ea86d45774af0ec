import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt, PodiumProvenance } from '../export-types.ts';
import { hhTranscriptPrompt } from './hh-rlhf.ts';
import { podiumProvenance, responseOf } from './podium-provenance.ts';

/** TRL standard preference format with an explicit prompt, plus the margin TRL's RewardTrainer adds to its loss. */
export type TrlLine = { prompt: string; chosen: string; rejected: string; margin: number; podium?: PodiumProvenance };

export function trlLine(prompt: ExportPrompt, pair: PromptPair, metadata: boolean): TrlLine {
  const chosen = responseOf(prompt, pair.chosen);
  const rejected = responseOf(prompt, pair.rejected);
  const line: TrlLine = { prompt: trlPromptText(prompt.messages), chosen: chosen.text, rejected: rejected.text, margin: pair.margin };
  if (metadata) line.podium = podiumProvenance(prompt, pair, chosen, rejected);
  return line;
}

/**
 * A lone user message is the prompt verbatim, as in TRL's examples. Anything else (system message, several turns)
 * is flattened into hh-rlhf turns ending in "\n\nAssistant: ", so that prompt + chosen, which is how TRL turns an
 * explicit prompt into an implicit one, is exactly the hh-rlhf transcript. Trainers that want the model's chat
 * template should export trl-chat instead.
 */
export function trlPromptText(messages: readonly ExportMessage[]): string {
  const only = messages.length === 1 ? messages[0] : undefined;
  return only !== undefined && only.role === 'user' ? only.content : `${hhTranscriptPrompt(messages)} `;
}
