import { describe, expect, it } from 'vitest';
import { watchAbort } from '../../../server/sampling/abort-watch.ts';

describe('watchAbort', () => {
  it('calls every watcher still watching once when the signal aborts, and none that stopped', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    watchAbort(controller.signal, () => calls.push('a'));
    const stopB = watchAbort(controller.signal, () => calls.push('b'));
    watchAbort(controller.signal, () => calls.push('c'));
    stopB();
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('keeps signals apart', () => {
    const one = new AbortController();
    const two = new AbortController();
    const calls: string[] = [];
    watchAbort(one.signal, () => calls.push('one'));
    watchAbort(two.signal, () => calls.push('two'));
    two.abort();
    expect(calls).toEqual(['two']);
  });
});
