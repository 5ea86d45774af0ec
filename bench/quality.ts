import type { Ranking } from '../shared/ranking.ts';
import { fractionalRanks } from '../shared/fractional-ranks.ts';
import { seededRandom } from '../server/metrics/bootstrap.ts';
import { tauB } from '../server/metrics/tau-b.ts';
import { goldScore, pausedByGold, type GoldAnswer } from '../server/quality/gold-score.ts';
import { wantedLabels } from '../server/quality/adaptive-overlap.ts';
import { goldDue } from '../server/quality/gold-mix.ts';

/**
 * Fixed overlap against adaptive overlap plus gold auto-pause, on one simulated labeler population.
 * Each prompt has K responses with hidden true utilities; a labeler ranks by utility plus noise of their own
 * level; a few are careless (noise swamps the signal) or adversarial (they rank the true order backwards).
 * Labels spent count every ranking a policy asked for, gold tasks included; accuracy is the mean tau-b of the
 * consensus (mean ranks) against the true order.
 */
const prompts = 3_000;
const goldPrompts = 60;
const k = 4;
const population = { good: 32, careless: 4, adversarial: 4 };

type Labeler = { id: number; noise: number; flip: boolean; active: boolean; gold: GoldAnswer<number>[]; seenGold: Set<number>; tasks: number };
type Policy = {
  labelersPerPrompt: number;
  maxLabelersPerPrompt: number;
  minKendallW: number;
  goldRate: number;
  goldMinTasks: number;
  goldMinTauB: number;
};

export const fixedPolicy: Policy = { labelersPerPrompt: 3, maxLabelersPerPrompt: 3, minKendallW: 0, goldRate: 0, goldMinTasks: 5, goldMinTauB: 0.4 };
// The gold and W settings are the product's defaults (DESIGN.md); R = 2 with one extra label where W is low.
export const adaptivePolicy: Policy = { labelersPerPrompt: 2, maxLabelersPerPrompt: 3, minKendallW: 0.5, goldRate: 0.1, goldMinTasks: 5, goldMinTauB: 0.4 };
// The same overlap without gold, so the report shows what each half of the loop buys.
const overlapOnlyPolicy: Policy = { ...adaptivePolicy, goldRate: 0 };

function gaussian(random: () => number): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function makeLabelers(random: () => number): Labeler[] {
  const labelers: Labeler[] = [];
  const add = (noise: number, flip: boolean) =>
    labelers.push({ id: labelers.length, noise, flip, active: true, gold: [], seenGold: new Set(), tasks: 0 });
  for (let i = 0; i < population.good; i++) add(0.3 + 0.9 * random(), false);
  for (let i = 0; i < population.careless; i++) add(8, false);
  for (let i = 0; i < population.adversarial; i++) add(0.5, true);
  return labelers;
}

function rankBy(labeler: Labeler, utilities: readonly number[], random: () => number): Ranking<number> {
  const scored = utilities.map((u, i) => ({ i, s: (labeler.flip ? -u : u) + labeler.noise * gaussian(random) }));
  scored.sort((a, b) => b.s - a.s);
  return scored.map((x) => [x.i]);
}

const ranksOf = (ranking: Ranking<number>): number[] => {
  const r = fractionalRanks(ranking);
  return Array.from({ length: k }, (_, i) => r.get(i) as number);
};

/** Runs one policy: labelers ask for tasks in random order until no prompt wants another label. */
export function simulate(policy: Policy, seed: number): { labels: number; accuracy: number; goldLabels: number; paused: number; pausedCareful: number } {
  const random = seededRandom(seed);
  const utilities = Array.from({ length: prompts + goldPrompts }, () => Array.from({ length: k }, () => gaussian(random)));
  const trueRanking = utilities.map((u) => u.map((_, i) => i).sort((a, b) => u[b]! - u[a]!).map((i) => [i]));
  const labelers = makeLabelers(random);
  const ranks: number[][][] = Array.from({ length: prompts }, () => []);
  const rankedBy: Set<number>[] = Array.from({ length: prompts }, () => new Set());
  const open = new Set(Array.from({ length: prompts }, (_, p) => p));
  let labels = 0;
  let goldLabels = 0;

  while (open.size > 0) {
    const active = labelers.filter((l) => l.active);
    if (active.length === 0) break;
    const labeler = active[Math.floor(random() * active.length)]!;
    // The product's rule for mixing gold in (server/store/gold-pool.ts), over the tasks this labeler was handed.
    const gold = policy.goldRate > 0 && labeler.seenGold.size < goldPrompts && goldDue(policy.goldRate, labeler.tasks, labeler.seenGold.size, random);
    if (gold) {
      labeler.tasks++;
      let g = prompts + Math.floor(random() * goldPrompts);
      while (labeler.seenGold.has(g)) g = prompts + ((g - prompts + 1) % goldPrompts);
      labeler.seenGold.add(g);
      labeler.gold.push({ ranking: rankBy(labeler, utilities[g]!, random), gold: trueRanking[g]! });
      labels++;
      goldLabels++;
      if (pausedByGold(goldScore(labeler.gold), policy)) labeler.active = false;
      continue;
    }
    // Closest to completion first, as the assignment pool orders prompts.
    let pick = -1;
    for (const p of open) {
      if (rankedBy[p]!.has(labeler.id)) continue;
      if (pick < 0 || ranks[p]!.length > ranks[pick]!.length) pick = p;
      if (ranks[pick]!.length >= policy.labelersPerPrompt) break;
    }
    if (pick < 0) {
      labeler.active = false;
      continue;
    }
    ranks[pick]!.push(ranksOf(rankBy(labeler, utilities[pick]!, random)));
    rankedBy[pick]!.add(labeler.id);
    labeler.tasks++;
    labels++;
    if (wantedLabels(ranks[pick]!, policy) <= ranks[pick]!.length) open.delete(pick);
  }

  let tauSum = 0;
  for (let p = 0; p < prompts; p++) {
    const rows = ranks[p]!;
    const means = Array.from({ length: k }, (_, i) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length);
    tauSum += tauB(means, ranksOf(trueRanking[p]!)) ?? 0;
  }
  const paused = labelers.filter((l) => !l.active && l.gold.length >= policy.goldMinTasks);
  const pausedCareful = paused.filter((l) => !l.flip && l.noise < 2).length;
  return { labels, accuracy: tauSum / prompts, goldLabels, paused: paused.length, pausedCareful };
}

export async function runQualityBench(): Promise<Record<string, unknown>> {
  const seed = 20261201;
  const fixed = simulate(fixedPolicy, seed);
  const adaptive = simulate(adaptivePolicy, seed);
  const overlapOnly = simulate(overlapOnlyPolicy, seed);
  return {
    bench: 'quality',
    prompts,
    k,
    population,
    fixed: { labels: fixed.labels, accuracy: round(fixed.accuracy) },
    adaptive: {
      labels: adaptive.labels,
      accuracy: round(adaptive.accuracy),
      goldLabels: adaptive.goldLabels,
      paused: adaptive.paused,
      // Careful labelers (noise below the careless level, not adversarial) that gold paused all the same.
      pausedCareful: adaptive.pausedCareful,
    },
    overlapOnly: { labels: overlapOnly.labels, accuracy: round(overlapOnly.accuracy) },
    labelsRatio: round(adaptive.labels / fixed.labels),
    policies: { fixed: fixedPolicy, adaptive: adaptivePolicy },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

