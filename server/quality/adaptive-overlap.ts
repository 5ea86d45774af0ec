import { kendallW } from '../metrics/kendall-w.ts';

export type OverlapSettings = { labelersPerPrompt: number; maxLabelersPerPrompt: number; minKendallW: number };

/**
 * How many counted rankings a prompt wants now. Below R it wants R; from R on, one more than it has while its
 * labelers' Kendall's W stays below `minKendallW`, up to `maxLabelersPerPrompt`. W undefined (every labeler tied
 * everything) is no disagreement another label could settle, so it asks for none.
 * `ranks[labeler][response]` are the counted rankings' fractional ranks.
 */
export function wantedLabels(ranks: ReadonlyArray<ArrayLike<number>>, settings: OverlapSettings): number {
  const have = ranks.length;
  if (have < settings.labelersPerPrompt) return settings.labelersPerPrompt;
  if (have >= settings.maxLabelersPerPrompt) return have;
  const w = kendallW(ranks);
  return w !== null && w < settings.minKendallW ? have + 1 : have;
}
