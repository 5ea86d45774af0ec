import type { z } from 'zod';
import type { agreementReportSchema } from '../../shared/agreement.ts';
import type { Id } from '../../shared/ranking.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';
import { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from './bootstrap.ts';
import { kendallW } from './kendall-w.ts';
import { alphaFromCoincidences, CoincidenceBuilder, type AlphaMetric, type CoincidenceMatrix } from './krippendorff-alpha.ts';
import { LabelerActivity, labelerQuality, type LabelerStats, type PromptRanks } from './labeler-quality.ts';
import { pairwiseCounts } from './pairwise-agreement.ts';

/** One labeler's ranking of one prompt's responses, tiers best first, as the CLI and the API hand it over. */
export type RankingRecord = { prompt: Id; labeler: Id; ranking: Id[][]; shownFirst?: Id; durationMs?: number; flagged?: boolean };

export type AgreementOptions = {
  /** Percentile bootstrap CIs over prompts for the pairwise agreement and alpha; off unless resamples > 0. */
  bootstrap?: BootstrapOptions;
  /** Skipped assignments, for each labeler's skip rate. */
  skipped?: ReadonlyArray<{ labeler: Id; prompt?: Id }>;
};

export type LabelerReport = { labeler: Id } & LabelerStats;

/** The shape is the schema in shared/agreement.ts, which the OpenAPI document publishes. */
export type AgreementReport = z.infer<typeof agreementReportSchema>;

type PromptGroup = PromptRanks & { id: Id; responses: Map<string, number> };

/** Ids from files may be "7" on one line and 7 on another; they name the same thing, as they do in JSON keys. */
const key = (id: Id): string => (typeof id === 'string' ? id : String(id));

/**
 * Every agreement figure of DESIGN.md over a set of rankings: pairwise agreement, Kendall's W per prompt,
 * Krippendorff's alpha (ordinal, interval) over (prompt, response) units of fractional ranks, and per-labeler quality.
 * Rankings are grouped by prompt once and turned into numeric rows; every ranking of a prompt must cover the same
 * responses exactly once and a labeler may rank a prompt only once (the CLI reports such lines before calling this).
 */
export function agreementReport(rankings: readonly RankingRecord[], options: AgreementOptions = {}): AgreementReport {
  const promptIndex = new Map<string, number>();
  const groups: PromptGroup[] = [];
  const labelerIndex = new Map<string, number>();
  const labelerIds: Id[] = [];
  const activity = new LabelerActivity();

  const labelerOf = (id: Id): number => {
    const k = key(id);
    let l = labelerIndex.get(k);
    if (l === undefined) {
      l = labelerIds.length;
      labelerIndex.set(k, l);
      labelerIds.push(id);
    }
    return l;
  };

  for (const record of rankings) {
    const pk = key(record.prompt);
    let p = promptIndex.get(pk);
    if (p === undefined) {
      p = groups.length;
      promptIndex.set(pk, p);
      const responses = new Map<string, number>();
      for (const tier of record.ranking) for (const id of tier) if (!responses.has(key(id))) responses.set(key(id), responses.size);
      groups.push({ id: record.prompt, responses, labelers: [], ranks: [] });
    }
    const group = groups[p]!;
    const l = labelerOf(record.labeler);
    if (group.labelers.includes(l)) throw new Error(`labeler ${key(record.labeler)} ranked prompt ${pk} more than once`);
    const n = group.responses.size;
    const row = new Array<number>(n).fill(0);
    const ranks = fractionalRanks(record.ranking);
    let placed = 0;
    // forEach rather than for…of: entries() would allocate an [id, rank] pair per ranking item.
    ranks.forEach((rank, id) => {
      const i = group.responses.get(key(id));
      if (i === undefined) throw new Error(`prompt ${pk}: labeler ${key(record.labeler)} ranked response ${key(id)}, which other rankings of the prompt lack`);
      row[i] = rank;
      placed++;
    });
    let items = 0;
    for (const tier of record.ranking) items += tier.length;
    if (placed !== n || items !== n) throw new Error(`prompt ${pk}: labeler ${key(record.labeler)} must rank each of its ${n} responses exactly once`);
    group.labelers.push(l);
    group.ranks.push(row);

    let onTop: boolean | undefined;
    if (record.shownFirst !== undefined) {
      const first = key(record.shownFirst);
      onTop = false;
      for (const id of record.ranking[0] ?? []) if (key(id) === first) onTop = true;
    }
    activity.record(l, n, record.durationMs, record.flagged, onTop, record.ranking[0]?.length ?? 1);
  }
  for (const skip of options.skipped ?? []) activity.recordSkip(labelerOf(skip.labeler));

  const promptCount = groups.length;
  const scores = new Float64Array(promptCount);
  const cases = new Float64Array(promptCount);
  const perPrompt: Record<string, number | null> = {};
  const histogram = new Array<number>(10).fill(0);
  let wSum = 0;
  let wCount = 0;
  const coincidences = new CoincidenceBuilder();
  let column = new Float64Array(8);

  for (let p = 0; p < promptCount; p++) {
    const { ranks, id } = groups[p]!;
    const agreement = pairwiseCounts(ranks);
    scores[p] = agreement.score;
    cases[p] = agreement.cases;
    const w = kendallW(ranks);
    perPrompt[key(id)] = w;
    if (w !== null) {
      wSum += w;
      wCount++;
      histogram[Math.min(9, Math.max(0, Math.floor(w * 10)))]!++;
    }
    const m = ranks.length;
    if (m < 2) continue;
    if (column.length < m) column = new Float64Array(m * 2);
    const n = ranks[0]!.length;
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m; r++) column[r] = ranks[r]![i]!;
      coincidences.addUnit(column, m);
    }
  }

  let totalScore = 0;
  let totalCases = 0;
  for (let p = 0; p < promptCount; p++) {
    totalScore += scores[p]!;
    totalCases += cases[p]!;
  }
  const matrix = coincidences.matrix();
  const quality = labelerQuality(groups, labelerIds.length, activity);

  const report: AgreementReport = {
    prompts: promptCount,
    rankings: rankings.length,
    pairwiseAgreement: totalCases > 0 ? totalScore / totalCases : null,
    kendallW: { mean: wCount > 0 ? wSum / wCount : null, perPrompt, histogram },
    krippendorffAlpha: { ordinal: alphaFromCoincidences(matrix, 'ordinal'), interval: alphaFromCoincidences(matrix, 'interval') },
    labelers: quality.labelers.map((stats, l) => ({ labeler: labelerIds[l]!, ...stats })),
    labelerPairs: { labelers: labelerIds, ...quality.pairs },
  };

  const boot = options.bootstrap;
  if (boot && boot.resamples > 0) {
    const agreementStatistic = (weights: Float64Array): number | null => {
      let s = 0;
      let c = 0;
      for (let p = 0; p < promptCount; p++) {
        const w = weights[p]!;
        if (w === 0) continue;
        s += w * scores[p]!;
        c += w * cases[p]!;
      }
      return c > 0 ? s / c : null;
    };
    const contributions = promptCoincidences(groups, matrix.values);
    const alphaStatistic = (metric: AlphaMetric) => (weights: Float64Array) => alphaFromCoincidences(contributions.resample(weights), metric);
    report.intervals = {
      pairwiseAgreement: bootstrapInterval(promptCount, agreementStatistic, boot),
      // The same seed draws the same resamples for every figure, so their intervals are comparable.
      krippendorffAlpha: {
        ordinal: bootstrapInterval(promptCount, alphaStatistic('ordinal'), boot),
        interval: bootstrapInterval(promptCount, alphaStatistic('interval'), boot),
      },
    };
  }
  return report;
}

/**
 * Each prompt's own cells of the coincidence matrix, merged within the prompt, so a bootstrap resample is a weighted
 * sum of a few cells per prompt instead of a pass over every ranking item.
 */
function promptCoincidences(groups: readonly PromptRanks[], values: number[]): { resample(weights: Float64Array): CoincidenceMatrix } {
  const v = values.length;
  const indexOf = new Map(values.map((value, i) => [value, i]));
  const offsets = new Int32Array(groups.length + 1);
  const cells: number[] = [];
  const amounts: number[] = [];
  const dense = new Float64Array(v * v);
  const touched: number[] = [];
  const idx: number[] = [];
  groups.forEach(({ ranks }, p) => {
    const m = ranks.length;
    if (m >= 2) {
      const n = ranks[0]!.length;
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < m; r++) idx[r] = indexOf.get(ranks[r]![i]!)!;
        for (let a = 0; a < m; a++) {
          for (let b = 0; b < m; b++) {
            if (a === b) continue;
            const cell = idx[a]! * v + idx[b]!;
            if (dense[cell] === 0) touched.push(cell);
            dense[cell]! += 1 / (m - 1);
          }
        }
      }
      for (const cell of touched) {
        cells.push(cell);
        amounts.push(dense[cell]!);
        dense[cell] = 0;
      }
      touched.length = 0;
    }
    offsets[p + 1] = cells.length;
  });
  return {
    resample(weights) {
      const o = new Float64Array(v * v);
      for (let p = 0; p < groups.length; p++) {
        const w = weights[p]!;
        if (w === 0) continue;
        for (let e = offsets[p]!; e < offsets[p + 1]!; e++) o[cells[e]!]! += w * amounts[e]!;
      }
      return { values, o };
    },
  };
}
