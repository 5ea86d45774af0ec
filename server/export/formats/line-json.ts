import type { Id } from '../../../shared/ranking.ts';
import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportPrompt, ExportResponse } from '../export-types.ts';
import { responseOf } from './podium-provenance.ts';

// Pieces of JSON text equal to what JSON.stringify writes for the same values, so a pair format can assemble a line
// from strings serialised once per prompt instead of serialising the prompt's texts again for each of its pairs.

/** JSON.stringify of a number, id or nullable string. */
export function jsonValue(value: string | number | null): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return 'null';
}

/**
 * `JSON.stringify(render(response))` for each response of one prompt, computed the first time a pair names it:
 * a prompt of K responses has up to K(K−1)/2 pairs, each repeating two of them.
 */
export function responseJsonOf(prompt: ExportPrompt, render: (response: ExportResponse) => unknown): (id: Id) => string {
  const cache = new Map<Id, string>();
  return (id) => {
    let json = cache.get(id);
    if (json === undefined) {
      json = JSON.stringify(render(responseOf(prompt, id)));
      cache.set(id, json);
    }
    return json;
  };
}

/** `JSON.stringify(podiumProvenance(prompt, pair, …))`, key for key in the same order. */
export function provenanceJsonOf(prompt: ExportPrompt): (pair: PromptPair) => string {
  const head = `{"promptId":${jsonValue(prompt.id)},"externalId":${jsonValue(prompt.externalId)},"chosenId":`;
  const model = responseJsonOf(prompt, (r) => r.model);
  // `sources` always, then `criterion` last and only when the prompt names it, in podiumProvenance's key order.
  const sources = JSON.stringify(prompt.sources ?? ['human']);
  const tail = prompt.criterion === undefined ? '}' : `,"criterion":${jsonValue(prompt.criterion)}}`;
  return (pair) =>
    `${head}${jsonValue(pair.chosen)},"rejectedId":${jsonValue(pair.rejected)},"chosenMeanRank":${jsonValue(pair.chosenMeanRank)},"rejectedMeanRank":${jsonValue(pair.rejectedMeanRank)},` +
    `"votes":{"for":${jsonValue(pair.votes.for)},"against":${jsonValue(pair.votes.against)},"tied":${jsonValue(pair.votes.tied)}},"agreement":${jsonValue(pair.agreement)},` +
    `"labelers":${jsonValue(pair.labelers)},"chosenModel":${model(pair.chosen)},"rejectedModel":${model(pair.rejected)},"sources":${sources}${tail}`;
}

/** A format's JSON for every pair of one prompt: `(pair, metadata) => JSON.stringify(format.line(prompt, pair, metadata))`. */
export type PairJson = (pair: PromptPair, metadata: boolean) => string;
