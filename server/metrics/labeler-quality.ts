import type { z } from 'zod';
import type { labelerStatsSchema } from '../../shared/agreement.ts';
import { tauB } from './tau-b.ts';
import { binomialUpperTail } from './binomial-tail.ts';

/** One prompt's rankings as numbers: `ranks[r]` is the fractional-rank row of labeler `labelers[r]` over the same responses. */
export type PromptRanks = { labelers: number[]; ranks: number[][] };

/** One labeler's figures; the fields are described on the schema in shared/agreement.ts. */
export type LabelerStats = z.infer<typeof labelerStatsSchema>;

export type LabelerPairs = {
  /** meanTauB[a][b]: mean tau-b between labelers a and b over the prompts both ranked; null where none qualifies. */
  meanTauB: (number | null)[][];
  /** prompts[a][b]: how many prompts went into meanTauB[a][b]. */
  prompts: number[][];
};

export type LabelerQuality = { labelers: LabelerStats[]; pairs: LabelerPairs };

/**
 * What labelers did beside ranking: time, flags, skips and where the response shown first landed. Fed one ranking at
 * a time with plain arguments so a million rankings cost no objects.
 */
export class LabelerActivity {
  readonly durations: number[][] = [];
  readonly flagged: number[] = [];
  readonly flagKnown: number[] = [];
  readonly shownFirstOnTop: number[] = [];
  readonly shownFirstKnown: number[] = [];
  readonly expectedOnTop: number[] = [];
  /** Chance of landing on top with the ties taken into account: the top tier's size / K, summed. */
  readonly chanceOnTop: number[] = [];
  readonly skips: number[] = [];
  readonly rankings: number[] = [];

  private ensure(labeler: number): void {
    while (this.rankings.length <= labeler) {
      this.durations.push([]);
      this.flagged.push(0);
      this.flagKnown.push(0);
      this.shownFirstOnTop.push(0);
      this.shownFirstKnown.push(0);
      this.expectedOnTop.push(0);
      this.chanceOnTop.push(0);
      this.skips.push(0);
      this.rankings.push(0);
    }
  }

  /** One submitted ranking of `responses` responses, `topTier` of them tied first; undefined where the input did not say. */
  record(labeler: number, responses: number, durationMs: number | undefined, flagged: boolean | undefined, shownFirstOnTop: boolean | undefined, topTier = 1): void {
    this.ensure(labeler);
    this.rankings[labeler]!++;
    if (durationMs !== undefined) this.durations[labeler]!.push(durationMs);
    if (flagged !== undefined) {
      this.flagKnown[labeler]!++;
      if (flagged) this.flagged[labeler]!++;
    }
    if (shownFirstOnTop !== undefined) {
      this.shownFirstKnown[labeler]!++;
      if (shownFirstOnTop) this.shownFirstOnTop[labeler]!++;
      this.expectedOnTop[labeler]! += 1 / responses;
      this.chanceOnTop[labeler]! += topTier / responses;
    }
  }

  recordSkip(labeler: number): void {
    this.ensure(labeler);
    this.skips[labeler]!++;
  }
}

/** Median of the values (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Per labeler: the rankings they made, and the mean over their prompts of tau-b between their ranks and the
 * leave-one-out consensus (mean fractional ranks of the other labelers of the prompt; prompts with no other labeler,
 * or where either side is all one tie, are left out); per labeler pair: mean tau-b over the prompts both ranked.
 */
export function labelerQuality(prompts: readonly PromptRanks[], labelerCount: number, activity?: LabelerActivity): LabelerQuality {
  const rankings = new Float64Array(labelerCount);
  const tauSum = new Float64Array(labelerCount);
  const tauCount = new Float64Array(labelerCount);
  // Pairs live in a sparse map: with many labelers most never share a prompt, and L² cells would not fit.
  const pairSlot = new Map<number, number>();
  const pairSum: number[] = [];
  const pairCount: number[] = [];
  let totals: number[] = [];
  let consensus: number[] = [];

  for (const { labelers, ranks } of prompts) {
    const m = ranks.length;
    const n = ranks[0]?.length ?? 0;
    for (const l of labelers) rankings[l]!++;
    if (m < 2) continue;
    // tau-b reads the whole vector, so the scratch rows must have exactly n entries; K rarely changes between prompts.
    if (totals.length !== n) {
      totals = new Array<number>(n).fill(0);
      consensus = new Array<number>(n).fill(0);
    }
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let r = 0; r < m; r++) t += ranks[r]![i]!;
      totals[i] = t;
    }
    for (let r = 0; r < m; r++) {
      const row = ranks[r]!;
      for (let i = 0; i < n; i++) consensus[i] = (totals[i]! - row[i]!) / (m - 1);
      const tau = tauB(row, consensus);
      if (tau !== null) {
        const l = labelers[r]!;
        tauSum[l]! += tau;
        tauCount[l]!++;
      }
      for (let s = r + 1; s < m; s++) {
        const tau2 = tauB(row, ranks[s]!);
        if (tau2 === null) continue;
        let a = labelers[r]!;
        let b = labelers[s]!;
        if (a > b) [a, b] = [b, a];
        const key = a * labelerCount + b;
        let slot = pairSlot.get(key);
        if (slot === undefined) {
          slot = pairSum.length;
          pairSlot.set(key, slot);
          pairSum.push(0);
          pairCount.push(0);
        }
        pairSum[slot]! += tau2;
        pairCount[slot]!++;
      }
    }
  }

  const labelers: LabelerStats[] = [];
  for (let l = 0; l < labelerCount; l++) {
    const a = activity;
    const skips = a?.skips[l] ?? 0;
    const flagKnown = a?.flagKnown[l] ?? 0;
    const shownKnown = a?.shownFirstKnown[l] ?? 0;
    labelers.push({
      rankings: rankings[l]!,
      tauB: tauCount[l]! > 0 ? tauSum[l]! / tauCount[l]! : null,
      tauBPrompts: tauCount[l]!,
      medianMs: median(a?.durations[l] ?? []),
      positionBias: shownKnown > 0 ? a!.shownFirstOnTop[l]! / shownKnown : null,
      expectedPositionBias: shownKnown > 0 ? a!.expectedOnTop[l]! / shownKnown : null,
      // Tested against the chance a labeler who ignores the order really has: a top tier of two is on top twice as often.
      positionBiasP: shownKnown > 0 ? binomialUpperTail(shownKnown, a!.shownFirstOnTop[l]!, a!.chanceOnTop[l]! / shownKnown) : null,
      flagRate: flagKnown > 0 ? a!.flagged[l]! / flagKnown : null,
      skipRate: a && skips + rankings[l]! > 0 ? skips / (skips + rankings[l]!) : null,
    });
  }

  const meanTauB: (number | null)[][] = [];
  const shared: number[][] = [];
  for (let a = 0; a < labelerCount; a++) {
    meanTauB.push(new Array<number | null>(labelerCount).fill(null));
    shared.push(new Array<number>(labelerCount).fill(0));
  }
  for (const [key, slot] of pairSlot) {
    const a = Math.floor(key / labelerCount);
    const b = key % labelerCount;
    const mean = pairSum[slot]! / pairCount[slot]!;
    meanTauB[a]![b] = mean;
    meanTauB[b]![a] = mean;
    shared[a]![b] = pairCount[slot]!;
    shared[b]![a] = pairCount[slot]!;
  }
  return { labelers, pairs: { meanTauB, prompts: shared } };
}
