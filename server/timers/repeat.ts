/** A repeating background call: heartbeats, lease renewals, sweeps and polls. */
export type Repeating = {
  /** Stops the repeats and waits for a call under way, so the store can close after it. */
  stop(): Promise<void>;
};

/**
 * Calls `beat` every `ms`, skipping a tick while the previous call has not settled. A renewal or a scan that waits
 * on a lock (a long import move holds the batch row) would otherwise start another one each tick, and each of them
 * keeps a pooled database connection while it waits, until the pool is gone for every request of the server.
 * A call that fails is the caller's to report; the next tick tries again.
 */
export function repeatOneAtATime(beat: () => Promise<unknown>, ms: number, options: { atOnce?: boolean } = {}): Repeating {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = beat()
      .catch(() => {})
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, ms);
  timer.unref();
  if (options.atOnce) tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
