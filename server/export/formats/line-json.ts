import type { Id } from '../../../shared/ranking.ts';
import { defaultSources } from '../../../shared/sources.ts';
import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportPrompt, ExportResponse } from '../export-types.ts';
import { responseOf } from './podium-provenance.ts';

// Pieces of JSON text equal to what JSON.stringify writes for the same values, so a pair format can assemble a line
// from strings serialised once per prompt instead of serialising the prompt's texts again for each of its pairs.

/**
 * A text per key, kept for the values an export repeats on every line (means, margins, agreements, votes): computing a
 * double's shortest text costs about 100 ns against a lookup's 20 (measured). Cleared when full, so a file of ever-new
 * values (weighted combined ranks) holds a bounded map.
 */
function boundedMemo(make: (key: number) => string, max = 4096): (key: number) => string {
  const texts = new Map<number, string>();
  return (key) => {
    let text = texts.get(key);
    if (text === undefined) {
      if (texts.size >= max) texts.clear();
      text = make(key);
      texts.set(key, text);
    }
    return text;
  };
}

const fractionJson = boundedMemo(String);

function numberJson(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Number.isFinite(value) ? fractionJson(value) : 'null';
}

// The votes of a pair as one piece of text, keyed by the three counts (each below 1024: a pair's labelers).
const votesJsonByKey = boundedMemo((key) => `,"votes":{"for":${key >> 20},"against":${(key >> 10) & 1023},"tied":${key & 1023}},"agreement":`);
const smallCount = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < 1024;

/** `,"votes":{…},"agreement":` as podiumProvenance's keys have it. */
function votesJson(votes: PromptPair['votes']): string {
  if (smallCount(votes.for) && smallCount(votes.against) && smallCount(votes.tied)) return votesJsonByKey((votes.for << 20) | (votes.against << 10) | votes.tied);
  return `,"votes":{"for":${numberJson(votes.for)},"against":${numberJson(votes.against)},"tied":${numberJson(votes.tied)}},"agreement":`;
}

/** JSON.stringify of a number, id or nullable string. */
export function jsonValue(value: string | number | null): string {
  if (typeof value === 'number') return numberJson(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return 'null';
}

/** Where a response stands in its prompt's list; K is a handful, so a scan beats a map built per prompt. */
function indexOfResponse(prompt: ExportPrompt, id: Id): number {
  const { responses } = prompt;
  for (let i = 0; i < responses.length; i++) if ((responses[i] as ExportResponse).id === id) return i;
  return -1;
}

/**
 * `make(response)` for each response of one prompt, computed the first time a pair names it: a prompt of K responses
 * has up to K(K−1)/2 pairs, each repeating two of them.
 */
export function responseTextOf(prompt: ExportPrompt, make: (response: ExportResponse) => string): (id: Id) => string {
  const cache: (string | undefined)[] = new Array<string | undefined>(prompt.responses.length);
  return (id) => {
    const at = indexOfResponse(prompt, id);
    // A miss is a bug upstream; responseOf throws the error that says so.
    if (at < 0) return make(responseOf(prompt, id));
    let text = cache[at];
    if (text === undefined) {
      text = make(prompt.responses[at] as ExportResponse);
      cache[at] = text;
    }
    return text;
  };
}

/** `JSON.stringify(render(response))` for each response of one prompt, serialised once (responseTextOf). */
export function responseJsonOf(prompt: ExportPrompt, render: (response: ExportResponse) => unknown): (id: Id) => string {
  return responseTextOf(prompt, (r) => JSON.stringify(render(r)));
}

/**
 * `JSON.stringify(podiumProvenance(prompt, pair, …))`, key for key in the same order. What depends on one response
 * only (its id after the prompt's head, its model with the keys around it) is joined once per response, so a line
 * is a dozen pieces rather than two dozen.
 */
export function provenanceJsonOf(prompt: ExportPrompt): (pair: PromptPair) => string {
  const head = `{"promptId":${jsonValue(prompt.id)},"externalId":${jsonValue(prompt.externalId)},"chosenId":`;
  // `sources` always, then `criterion` last and only when the prompt names it, in podiumProvenance's key order.
  const tail = `,"sources":${JSON.stringify(prompt.sources ?? defaultSources)}${prompt.criterion === undefined ? '}' : `,"criterion":${jsonValue(prompt.criterion)}}`}`;
  const chosenHead = responseTextOf(prompt, (r) => `${head}${jsonValue(r.id)},"rejectedId":`);
  const rejectedId = responseTextOf(prompt, (r) => `${jsonValue(r.id)},"chosenMeanRank":`);
  const chosenModel = responseTextOf(prompt, (r) => `,"chosenModel":${jsonValue(r.model)}`);
  const rejectedModel = responseTextOf(prompt, (r) => `,"rejectedModel":${jsonValue(r.model)}${tail}`);
  return (pair) =>
    `${chosenHead(pair.chosen)}${rejectedId(pair.rejected)}${numberJson(pair.chosenMeanRank)},"rejectedMeanRank":${numberJson(pair.rejectedMeanRank)}` +
    `${votesJson(pair.votes)}${numberJson(pair.agreement)},"labelers":${numberJson(pair.labelers)}${chosenModel(pair.chosen)}${rejectedModel(pair.rejected)}`;
}

/** A format's JSON for every pair of one prompt: `(pair, metadata) => JSON.stringify(format.line(prompt, pair, metadata))`. */
export type PairJson = (pair: PromptPair, metadata: boolean) => string;
