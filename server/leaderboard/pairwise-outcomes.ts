import type { Id, Ranking } from '../../shared/ranking.ts';
import type { LeaderboardBy } from '../../shared/leaderboard.ts';

/** Where a response came from, as stored: `policy` is the sampling policy's label, null for imported responses. */
export type ResponseProvenance = { id: Id; model: string | null; policy: string | null };

/** One prompt as the leaderboard reads it: its responses' provenance and its counted rankings. */
export type LeaderboardPrompt = { responses: ResponseProvenance[]; rankings: Ranking[]; group?: string | null };

/** The name a response competes under: see docs/metrics.md ("Leaderboard"). */
export const unknownName = '(unknown)';
export function competitorName(response: ResponseProvenance, by: LeaderboardBy): string {
  // An imported response records no sampling parameters, so its model is all there is of its policy.
  if (by === 'policy') return response.policy ?? response.model ?? unknownName;
  return response.model ?? unknownName;
}

/**
 * Every pairwise outcome of a set of prompts, aggregated per prompt and per pair of competitors, so a bootstrap
 * resample is a weighted sum of a few counts per prompt rather than a pass over every outcome.
 * Competitor pair k of prompt p is entries `start[p] ≤ k < start[p + 1]`: `low[k] < high[k]` are competitor indexes,
 * `lowWins`/`highWins` their strict wins and `ties` the ties.
 */
export type OutcomeTable = {
  names: string[];
  start: Uint32Array;
  low: Uint32Array;
  high: Uint32Array;
  lowWins: Float64Array;
  highWins: Float64Array;
  ties: Float64Array;
};

/** Reads every counted ranking as a win, a loss or a tie for each two responses from different competitors. */
export function collectOutcomes(prompts: Iterable<LeaderboardPrompt>, by: LeaderboardBy): OutcomeTable {
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  const start: number[] = [0];
  const low: number[] = [];
  const high: number[] = [];
  const lowWins: number[] = [];
  const highWins: number[] = [];
  const ties: number[] = [];
  // Scratch space reused across prompts, sized for K ≤ 9 and grown for a larger one.
  let slotOf = new Int32Array(81);
  let tierOf = new Int32Array(9);
  for (const prompt of prompts) {
    const k = prompt.responses.length;
    if (k * k > slotOf.length) {
      slotOf = new Int32Array(k * k);
      tierOf = new Int32Array(k);
    }
    const competitors = prompt.responses.map((r) => {
      const name = competitorName(r, by);
      let i = indexOf.get(name);
      if (i === undefined) {
        i = names.length;
        names.push(name);
        indexOf.set(name, i);
      }
      return i;
    });
    const first = low.length;
    // Which entry each response pair (a < b) adds to, worked out once per prompt: -1 for two of one competitor.
    // Two responses of one model against a third share that pair of competitors' entry (a linear search: K ≤ 9).
    slotOf.fill(-1, 0, k * k);
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const ca = competitors[a] as number;
        const cb = competitors[b] as number;
        if (ca === cb) continue;
        const lo = Math.min(ca, cb);
        const hi = Math.max(ca, cb);
        let entry = first;
        while (entry < low.length && (low[entry] !== lo || high[entry] !== hi)) entry++;
        if (entry === low.length) {
          low.push(lo);
          high.push(hi);
          lowWins.push(0);
          highWins.push(0);
          ties.push(0);
        }
        slotOf[a * k + b] = entry;
      }
    }
    if (low.length === first) continue;
    const ids = prompt.responses.map((r) => r.id);
    for (const ranking of prompt.rankings) {
      tierOf.fill(-1, 0, k);
      for (let t = 0; t < ranking.length; t++) {
        for (const id of ranking[t] as Id[]) {
          const i = ids.indexOf(id);
          if (i >= 0) tierOf[i] = t;
        }
      }
      for (let a = 0; a < k; a++) {
        const ta = tierOf[a] as number;
        if (ta < 0) continue;
        for (let b = a + 1; b < k; b++) {
          const entry = slotOf[a * k + b] as number;
          const tb = tierOf[b] as number;
          if (entry < 0 || tb < 0) continue;
          // Tier 0 is the best: the response in the earlier tier wins; `a` is the low competitor or the high one.
          if (ta === tb) ties[entry]! += 1;
          else if ((ta < tb) === ((competitors[a] as number) < (competitors[b] as number))) lowWins[entry]! += 1;
          else highWins[entry]! += 1;
        }
      }
    }
    if (low.length > first) start.push(low.length);
  }
  return {
    names,
    start: Uint32Array.from(start),
    low: Uint32Array.from(low),
    high: Uint32Array.from(high),
    lowWins: Float64Array.from(lowWins),
    highWins: Float64Array.from(highWins),
    ties: Float64Array.from(ties),
  };
}

/** How many prompts gave at least one outcome: the units a bootstrap resamples. */
export const promptCount = (table: OutcomeTable): number => table.start.length - 1;

/**
 * The n×n Bradley–Terry wins matrix (a tie half a win each) of the prompts weighted by `weights` (a bootstrap
 * resample's multiplicities), or of every prompt once without weights. Written into `into` when given.
 */
export function weightedWins(table: OutcomeTable, weights?: Float64Array, into?: Float64Array): Float64Array {
  const n = table.names.length;
  const wins = into ?? new Float64Array(n * n);
  wins.fill(0);
  const prompts = promptCount(table);
  for (let p = 0; p < prompts; p++) {
    const w = weights ? (weights[p] as number) : 1;
    if (w === 0) continue;
    for (let k = table.start[p] as number; k < (table.start[p + 1] as number); k++) {
      const lo = table.low[k] as number;
      const hi = table.high[k] as number;
      const half = (table.ties[k] as number) / 2;
      wins[lo * n + hi] = (wins[lo * n + hi] as number) + w * ((table.lowWins[k] as number) + half);
      wins[hi * n + lo] = (wins[hi * n + lo] as number) + w * ((table.highWins[k] as number) + half);
    }
  }
  return wins;
}
