import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repeatOneAtATime } from '../../../server/timers/repeat.ts';

describe('repeatOneAtATime', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts no second renewal while one is still waiting (on a lock, say), and goes on once it settles', async () => {
    const waiting: Array<() => void> = [];
    const beat = vi.fn(() => new Promise<void>((resolve) => waiting.push(resolve)));
    const repeating = repeatOneAtATime(beat, 100);
    await vi.advanceTimersByTimeAsync(1000);
    expect(beat).toHaveBeenCalledTimes(1);
    waiting[0]!();
    await vi.advanceTimersByTimeAsync(100);
    expect(beat).toHaveBeenCalledTimes(2);
    waiting[1]!();
    await repeating.stop();
  });

  it('keeps beating after a beat fails, as after a database restart', async () => {
    const beat = vi.fn(() => Promise.reject(new Error('connection refused')));
    const repeating = repeatOneAtATime(beat, 100);
    await vi.advanceTimersByTimeAsync(350);
    expect(beat).toHaveBeenCalledTimes(3);
    await repeating.stop();
  });

  it('beats at once when asked, and stop waits for the beat under way and ends the repeats', async () => {
    let finish = () => {};
    let done = false;
    const beat = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)).then(() => void (done = true)));
    const repeating = repeatOneAtATime(beat, 100, { atOnce: true });
    expect(beat).toHaveBeenCalledTimes(1);
    const stopped = repeating.stop().then(() => done);
    finish();
    expect(await stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(beat).toHaveBeenCalledTimes(1);
  });
});
