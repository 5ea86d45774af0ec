/** Latency percentile over recorded request durations (ms). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? 0;
}

/** Runs `workers` loops of `step` until `seconds` pass; each step returns how many submits it made. */
export async function runLoad(workers: number, seconds: number, step: (worker: number, time: (ms: number) => void) => Promise<number>) {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let submits = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        const n = await step(w, (ms) => latencies.push(ms));
        if (n < 0) return;
        submits += n;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { submits, perSec: submits / elapsed, p99Ms: percentile(latencies, 99), p50Ms: percentile(latencies, 50) };
}

export async function timed<T>(time: (ms: number) => void, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await f();
  time(performance.now() - t);
  return out;
}
