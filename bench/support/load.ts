/** Latency percentile over recorded request durations (ms). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? 0;
}

/** One worker's step: how many submits it made, or -1 when it has nothing left to do (that worker then stops). */
export type Step = (worker: number, time: (ms: number) => void) => Promise<number>;

type Tally = { submits: number; seconds: number; latencies: number[]; stopped: Set<number> };

const newTally = (): Tally => ({ submits: 0, seconds: 0, latencies: [], stopped: new Set() });

/** Runs `workers` loops of `step` for `seconds` into `tally`; a slice ends when every loop's last step has. */
async function slice(workers: number, seconds: number, step: Step, tally: Tally): Promise<void> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (!tally.stopped.has(w) && performance.now() < deadline) {
        const n = await step(w, (ms) => tally.latencies.push(ms));
        if (n < 0) tally.stopped.add(w);
        else tally.submits += n;
      }
    }),
  );
  tally.seconds += (performance.now() - started) / 1000;
}

function summary(tally: Tally) {
  const latencies = tally.latencies.sort((a, b) => a - b);
  return { submits: tally.submits, perSec: tally.submits / tally.seconds, p99Ms: percentile(latencies, 99), p50Ms: percentile(latencies, 50) };
}

/** Runs `workers` loops of `step` until `seconds` pass; each step returns how many submits it made. */
export async function runLoad(workers: number, seconds: number, step: Step) {
  const tally = newTally();
  await slice(workers, seconds, step, tally);
  return summary(tally);
}

/**
 * A server under test in `runInTurns`: its load, and readings of CPU it has used so far (seconds: the server process,
 * and on Postgres the database cluster; null where unknown), summed over its own turns.
 */
export type Turned = { step: Step; cpu: () => readonly (number | null)[] };

/**
 * Runs two loads in turns of `sliceSeconds` (A B B A A B …, each side `seconds` in all, after an uncounted warm-up
 * turn each), so a product and its baseline share the same minutes of a shared machine instead of following one
 * another: a neighbour's burst, CPU frequency or cache pressure then falls on both. The load generator's own CPU (this
 * process) is summed per side too. A turn is at most `sliceSeconds` and the other side's idle keep-alive sockets wait
 * at most two turns, inside Node's 5 s keep-alive timeout for the 2 s turns the labeling bench uses.
 */
export async function runInTurns(workers: number, seconds: number, sliceSeconds: number, sides: readonly [Turned, Turned]) {
  const tallies = [newTally(), newTally()] as const;
  const used: (number | null)[][] = [[], []];
  const loadCpu = [0, 0];
  const warmUp = newTally();
  for (const side of sides) await slice(workers, Math.min(1, sliceSeconds), side.step, warmUp);
  const turns = Math.max(1, Math.round(seconds / sliceSeconds));
  for (let t = 0; t < 2 * turns; t++) {
    const i = (t + 1) % 4 < 2 ? 0 : 1;
    const side = sides[i] as Turned;
    const before = side.cpu();
    const loadBefore = process.cpuUsage();
    await slice(workers, sliceSeconds, side.step, tallies[i]);
    const after = side.cpu();
    const load = process.cpuUsage(loadBefore);
    loadCpu[i] = (loadCpu[i] ?? 0) + (load.user + load.system) / 1e6;
    used[i] = after.map((a, k) => {
      const b = before[k];
      const sum = t < 2 ? 0 : used[i]?.[k];
      return a === null || b === null || b === undefined || sum === null || sum === undefined ? null : sum + (a - b);
    });
  }
  return tallies.map((tally, i) => ({ ...summary(tally), cpuSeconds: used[i] ?? [], loadCpuSeconds: loadCpu[i] ?? 0 }));
}

export async function timed<T>(time: (ms: number) => void, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await f();
  time(performance.now() - t);
  return out;
}
