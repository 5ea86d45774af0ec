import { describe, expect, it } from 'vitest';
import { countAxis } from '../../../client/src/features/agreement/count-axis.ts';

describe('the W histogram’s count axis', () => {
  it('ticks every whole count while there are few', () => {
    expect(countAxis(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countAxis(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(countAxis(5)).toEqual({ top: 5, ticks: [0, 1, 2, 3, 4, 5] });
  });

  it('steps by 2, 5, 10, … beyond, never more than five steps, topped at or above the largest count', () => {
    expect(countAxis(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(countAxis(23)).toEqual({ top: 25, ticks: [0, 5, 10, 15, 20, 25] });
    expect(countAxis(10_000).ticks).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    for (const max of [1, 2, 9, 11, 37, 99, 101, 456, 9999]) {
      const { top, ticks } = countAxis(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks.length - 1).toBeLessThanOrEqual(5);
      expect(ticks.every(Number.isInteger)).toBe(true);
    }
  });

  it('gives an empty chart a 0–1 axis', () => {
    expect(countAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
  });
});
