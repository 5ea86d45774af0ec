import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt, PodiumProvenance } from '../export-types.ts';
import { hhTranscriptPrompt } from './hh-rlhf.ts';
import { podiumProvenance, responseOf } from './podium-provenance.ts';
import { jsonValue, provenanceJsonOf, responseJsonOf, responseTextOf, type PairJson } from './line-json.ts';

/** TRL standard preference format with an explicit prompt, plus the margin TRL's RewardTrainer adds to its loss. */
export type TrlLine = { prompt: string; chosen: string; rejected: string; margin: number; podium?: PodiumProvenance };

export function trlLine(prompt: ExportPrompt, pair: PromptPair, metadata: boolean): TrlLine {
  const chosen = responseOf(prompt, pair.chosen);
  const rejected = responseOf(prompt, pair.rejected);
  const line: TrlLine = { prompt: trlPromptText(prompt.messages), chosen: trlCompletion(chosen.text), rejected: trlCompletion(rejected.text), margin: pair.margin };
  if (metadata) line.podium = podiumProvenance(prompt, pair, chosen, rejected);
  return line;
}

/**
 * Every prompt, single-turn or not, in hh-rlhf turns ending in "\n\nAssistant:" with no trailing whitespace; the
 * separating space starts each completion instead, as TRL's extract_prompt splits an hh-rlhf transcript. A BPE
 * pre-tokenizer never joins a word or punctuation to the whitespace after it, so tokenize(prompt) + tokenize(chosen)
 * equals tokenize(prompt + chosen) at the boundary (DPOTrainer relies on it), and prompt + chosen is exactly the hh-rlhf
 * transcript. Trainers that want the model's chat template should export trl-chat instead.
 */
export function trlPromptText(messages: readonly ExportMessage[]): string {
  return hhTranscriptPrompt(messages);
}

/** The response after the one separating space, verbatim: `completion.slice(1)` is the stored text. */
export function trlCompletion(text: string): string {
  return ` ${text}`;
}

/** `JSON.stringify(trlLine(prompt, pair, metadata))` for every pair of the prompt, its texts serialised once. */
export function trlJson(prompt: ExportPrompt): PairJson {
  const head = `{"prompt":${JSON.stringify(trlPromptText(prompt.messages))},"chosen":`;
  const completion = responseJsonOf(prompt, (r) => trlCompletion(r.text));
  // The line up to the rejected side depends on the chosen response only: joined once per response.
  const chosenPart = responseTextOf(prompt, (r) => `${head}${completion(r.id)},"rejected":`);
  const provenance = provenanceJsonOf(prompt);
  return (pair, metadata) => `${chosenPart(pair.chosen)}${completion(pair.rejected)},"margin":${jsonValue(pair.margin)}${metadata ? `,"podium":${provenance(pair)}` : ''}}`;
}
