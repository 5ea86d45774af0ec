import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportMessage, ExportPrompt, PodiumProvenance } from '../export-types.ts';
import { podiumProvenance, responseOf } from './podium-provenance.ts';
import { provenanceJsonOf, responseJsonOf, type PairJson } from './line-json.ts';

/** Anthropic hh-rlhf: each side is the whole transcript ending in that side's assistant turn. */
export type HhRlhfLine = { chosen: string; rejected: string; podium?: PodiumProvenance };

export function hhRlhfLine(prompt: ExportPrompt, pair: PromptPair, metadata: boolean): HhRlhfLine {
  const chosen = responseOf(prompt, pair.chosen);
  const rejected = responseOf(prompt, pair.rejected);
  const context = hhTranscriptPrompt(prompt.messages);
  const line: HhRlhfLine = { chosen: hhSide(context, chosen), rejected: hhSide(context, rejected) };
  if (metadata) line.podium = podiumProvenance(prompt, pair, chosen, rejected);
  return line;
}

/** One side of an hh-rlhf line: the transcript ending in that response's assistant turn. */
function hhSide(context: string, response: { text: string }): string {
  return `${context} ${response.text}`;
}

/** `JSON.stringify(hhRlhfLine(prompt, pair, metadata))` for every pair of the prompt, each side serialised once. */
export function hhRlhfJson(prompt: ExportPrompt): PairJson {
  const context = hhTranscriptPrompt(prompt.messages);
  const side = responseJsonOf(prompt, (r) => hhSide(context, r));
  const provenance = provenanceJsonOf(prompt);
  return (pair, metadata) => `{"chosen":${side(pair.chosen)},"rejected":${side(pair.rejected)}${metadata ? `,"podium":${provenance(pair)}` : ''}}`;
}

/**
 * The conversation in hh-rlhf turns, up to and including the "\n\nAssistant:" that the response follows
 * (after one space, as in the dataset). hh-rlhf has no system turn: a system message is prepended to the next
 * Human turn, separated by a blank line; one with no Human turn after it becomes a Human turn of its own.
 */
export function hhTranscriptPrompt(messages: readonly ExportMessage[]): string {
  // Every pair of a prompt renders the same context: keep the last one rather than rebuild it per pair.
  if (messages === lastMessages) return lastTranscript;
  lastTranscript = renderTranscript(messages);
  lastMessages = messages;
  return lastTranscript;
}

let lastMessages: readonly ExportMessage[] | null = null;
let lastTranscript = '';

function renderTranscript(messages: readonly ExportMessage[]): string {
  let out = '';
  let pendingSystem: string | null = null;
  for (const message of messages) {
    if (message.role === 'system') {
      pendingSystem = pendingSystem === null ? message.content : `${pendingSystem}\n\n${message.content}`;
    } else if (message.role === 'user') {
      out += `\n\nHuman: ${pendingSystem === null ? message.content : `${pendingSystem}\n\n${message.content}`}`;
      pendingSystem = null;
    } else {
      if (pendingSystem !== null) out += `\n\nHuman: ${pendingSystem}`;
      pendingSystem = null;
      out += `\n\nAssistant: ${message.content}`;
    }
  }
  if (pendingSystem !== null) out += `\n\nHuman: ${pendingSystem}`;
  return `${out}\n\nAssistant:`;
}

/**
 * Whether a text holds a turn marker, which would make the transcript split wrongly where readers look for turns
 * (the DPO reference parser takes everything up to the last "\n\nAssistant:" as the prompt).
 */
export function hasTurnMarker(text: string): boolean {
  return text.includes('\n\nHuman:') || text.includes('\n\nAssistant:');
}
