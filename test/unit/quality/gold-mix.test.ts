import { describe, expect, it } from 'vitest';
import { goldDue } from '../../../server/quality/gold-mix.ts';
import { seededRandom } from '../../../server/metrics/bootstrap.ts';

/** Runs the rule for `tasks` tasks; the running gold count after each task. */
function tally(rate: number, tasks: number, draw: () => number): number[] {
  const out: number[] = [];
  let gold = 0;
  for (let n = 0; n < tasks; n++) {
    if (goldDue(rate, n, gold, draw)) gold++;
    out.push(gold);
  }
  return out;
}

describe('goldDue: gold at the project rate, at no fixed position', () => {
  it('after n tasks a labeler has met floor(rate·n) or ceil(rate·n) gold prompts, whatever the draws', () => {
    for (const rate of [0.05, 0.1, 0.25, 1 / 3, 0.5]) {
      for (const draw of [() => 0, () => 0.999999, seededRandom(7)]) {
        tally(rate, 400, draw).forEach((g, i) => {
          const n = i + 1;
          expect(g, `rate ${rate}, after ${n}`).toBeGreaterThanOrEqual(Math.floor(rate * n - 1e-9));
          expect(g, `rate ${rate}, after ${n}`).toBeLessThanOrEqual(Math.ceil(rate * n + 1e-9));
        });
      }
    }
  });

  it('the first gold task of a block is not always at the same place', () => {
    const firsts = new Set<number>();
    const random = seededRandom(11);
    for (let run = 0; run < 50; run++) firsts.add(tally(0.1, 10, random).indexOf(1));
    expect(firsts.size).toBeGreaterThan(3);
  });

  it('a rate of 0 never asks for gold', () => {
    expect(tally(0, 100, () => 0).at(-1)).toBe(0);
  });
});
