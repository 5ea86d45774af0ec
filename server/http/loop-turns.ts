import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * For a loop over input that may already be buffered: awaiting a chunk that has arrived, or a resolved promise,
 * yields only to microtasks, so such a loop would hold every other request (even /api/health) until it ends.
 * The returned function gives the event loop a turn once `sliceMs` of work have passed since the last one.
 */
export function loopTurns(sliceMs = 10): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart <= sliceMs) return;
    await nextTurn();
    sliceStart = performance.now();
  };
}
