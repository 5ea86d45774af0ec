import { comparisonsConnected, eloOf, fitBradleyTerry } from '../metrics/bradley-terry.ts';
import { drawResample, percentile, seededRandom } from '../metrics/bootstrap.ts';
import { collectOutcomes, promptCount, weightedWins, type LeaderboardPrompt, type OutcomeTable } from './pairwise-outcomes.ts';
import type { RankingSource } from '../../shared/sources.ts';
import type { Leaderboard, LeaderboardBy, LeaderboardEntry, LeaderboardTable } from '../../shared/leaderboard.ts';

export type LeaderboardOptions = {
  by: LeaderboardBy;
  /** Resamples of prompts for the 95% intervals; 0 for none. */
  bootstrap: number;
  seed?: number;
  /** The metadata key the prompts' `group` values were read from: one more table per value. */
  group?: string;
  /** Whose rankings the prompts carry, for the report to say (default human). */
  sources?: RankingSource[];
};

/** The API and the CLI draw with this seed, so both give the same intervals for the same rankings. */
export const leaderboardSeed = 1;

/** Bootstrap fits are warm-started from the full fit, so a looser tolerance than the full fit's is plenty for a percentile. */
const resampleTolerance = 1e-7;

/** Per competitor, the elo of each resample where it was compared (NaN elsewhere). */
function bootstrapElo(table: OutcomeTable, start: Float64Array, resamples: number, seed: number): Float64Array[] {
  const n = table.names.length;
  const samples = Array.from({ length: n }, () => new Float64Array(resamples));
  const random = seededRandom(seed);
  const weights = new Float64Array(promptCount(table));
  const wins = new Float64Array(n * n);
  for (let b = 0; b < resamples; b++) {
    drawResample(random, weights);
    weightedWins(table, weights, wins);
    const fit = fitBradleyTerry(n, wins, { start, tolerance: resampleTolerance });
    for (let i = 0; i < n; i++) (samples[i] as Float64Array)[b] = eloOf(fit.strengths[i] as number);
  }
  return samples;
}

function interval(values: Float64Array): [number, number] | null {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (finite.length < 2) return null;
  return [percentile(finite, 2.5), percentile(finite, 97.5)];
}

/** Entries, win rates and intervals of one set of prompts' outcomes. */
export function leaderboardTable(table: OutcomeTable, options: { bootstrap: number; seed?: number }): LeaderboardTable {
  const n = table.names.length;
  const wins = weightedWins(table);
  const fit = fitBradleyTerry(n, wins);
  const samples = options.bootstrap > 0 ? bootstrapElo(table, fit.strengths, options.bootstrap, options.seed ?? 1) : null;

  // Strict wins and ties per ordered pair, for the counts and the win-rate matrix.
  const strict = new Float64Array(n * n);
  const tied = new Float64Array(n * n);
  for (let k = 0; k < table.low.length; k++) {
    const lo = table.low[k] as number;
    const hi = table.high[k] as number;
    strict[lo * n + hi]! += table.lowWins[k] as number;
    strict[hi * n + lo]! += table.highWins[k] as number;
    tied[lo * n + hi]! += table.ties[k] as number;
    tied[hi * n + lo]! += table.ties[k] as number;
  }
  const entries: LeaderboardEntry[] = [];
  const winRate: Record<string, Record<string, number>> = {};
  let outcomes = 0;
  for (let i = 0; i < n; i++) {
    let won = 0;
    let lost = 0;
    let ties = 0;
    const rates: Record<string, number> = {};
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const w = strict[i * n + j] as number;
      const l = strict[j * n + i] as number;
      const t = tied[i * n + j] as number;
      if (w + l + t === 0) continue;
      won += w;
      lost += l;
      ties += t;
      rates[table.names[j] as string] = (w + t / 2) / (w + l + t);
    }
    const comparisons = won + lost + ties;
    if (comparisons === 0) continue;
    outcomes += comparisons;
    const strength = fit.strengths[i] as number;
    const name = table.names[i] as string;
    winRate[name] = rates;
    entries.push({ name, strength, elo: eloOf(strength), ci: samples ? interval(samples[i] as Float64Array) : null, wins: won, losses: lost, ties, comparisons });
  }
  entries.sort((a, b) => b.strength - a.strength || a.name.localeCompare(b.name));
  // Each outcome was counted once from either side.
  return { entries, winRate, prompts: promptCount(table), outcomes: outcomes / 2, connected: comparisonsConnected(n, wins) };
}

/** The leaderboard of every prompt, and with `group` one per metadata value (prompts without one sit out of the groups). */
export function leaderboardReport(prompts: LeaderboardPrompt[], options: LeaderboardOptions): Leaderboard {
  const tableOptions = { bootstrap: options.bootstrap, seed: options.seed ?? leaderboardSeed };
  const overall = leaderboardTable(collectOutcomes(prompts, options.by), tableOptions);
  const report: Leaderboard = { by: options.by, bootstrap: options.bootstrap, sources: options.sources ?? ['human'], ...overall };
  if (options.group === undefined) return report;
  const byValue = new Map<string, LeaderboardPrompt[]>();
  for (const p of prompts) {
    if (p.group === undefined || p.group === null) continue;
    const list = byValue.get(p.group);
    if (list) list.push(p);
    else byValue.set(p.group, [p]);
  }
  const groups: Record<string, LeaderboardTable> = {};
  for (const value of [...byValue.keys()].sort()) groups[value] = leaderboardTable(collectOutcomes(byValue.get(value) ?? [], options.by), tableOptions);
  return { ...report, group: options.group, groups };
}
