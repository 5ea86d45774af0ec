const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts; the returned function stops watching. A job's signal is watched by every
 * request in flight and every retry wait: one EventTarget listener per signal and a Set behind it costs a fraction
 * of adding and removing a listener per request, which the runner's loop paid for each of its answers.
 * The caller checks `signal.aborted` first, as with addEventListener.
 */
export function watchAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = watchers.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    watchers.set(signal, fresh);
    signal.addEventListener('abort', () => {
      for (const f of [...fresh]) f();
      fresh.clear();
    }, { once: true });
    set = fresh;
  }
  const mine = set;
  mine.add(fn);
  return () => void mine.delete(fn);
}
