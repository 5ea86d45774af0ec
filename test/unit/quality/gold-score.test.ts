import { describe, expect, it } from 'vitest';
import { goldScore, pausedByGold } from '../../../server/quality/gold-score.ts';

describe('goldScore', () => {
  it('averages tau-b against the gold order and credits the top choice', () => {
    // Gold a > b > c > d. Task 1 matches it (tau 1, top a). Task 2 swaps the last two: of the six pairs five
    // concordant, one discordant, so tau = (5 - 1) / 6 = 2/3, top still a. Task 3 reverses it: tau -1, top d.
    const gold = [['a'], ['b'], ['c'], ['d']];
    const score = goldScore([
      { ranking: [['a'], ['b'], ['c'], ['d']], gold },
      { ranking: [['a'], ['b'], ['d'], ['c']], gold },
      { ranking: [['d'], ['c'], ['b'], ['a']], gold },
    ]);
    expect(score.tasks).toBe(3);
    expect(score.meanTauB).toBeCloseTo((1 + 2 / 3 - 1) / 3, 12);
    expect(score.topMatch).toBeCloseTo(2 / 3, 12);
  });

  it('gives a labeler who ties everything first no tau-b and only a share of the top', () => {
    const gold = [['a'], ['b'], ['c'], ['d']];
    const score = goldScore([{ ranking: [['a', 'b', 'c', 'd']], gold }]);
    expect(score.meanTauB).toBeNull();
    expect(score.topMatch).toBe(0.25);
  });

  it('uses tau-b with ties on the gold side: gold a > {b, c}, labeler c > b > a', () => {
    // Pairs: (a,b) and (a,c) discordant; (b,c) tied in gold only. tau-b = (0 - 2) / sqrt((2 + 1) * 2) = -2/sqrt(6).
    const score = goldScore([{ ranking: [['c'], ['b'], ['a']], gold: [['a'], ['b', 'c']] }]);
    expect(score.meanTauB).toBeCloseTo(-2 / Math.sqrt(6), 12);
    expect(score.topMatch).toBe(0);
  });
});

describe('pausedByGold', () => {
  const settings = { goldMinTasks: 5, goldMinTauB: 0.4 };
  it('pauses only after enough gold tasks with a low mean tau-b', () => {
    expect(pausedByGold({ tasks: 4, meanTauB: -1, topMatch: 0 }, settings)).toBe(false);
    expect(pausedByGold({ tasks: 5, meanTauB: 0.39, topMatch: 0 }, settings)).toBe(true);
    expect(pausedByGold({ tasks: 5, meanTauB: 0.4, topMatch: 0 }, settings)).toBe(false);
    expect(pausedByGold({ tasks: 9, meanTauB: null, topMatch: 0.25 }, settings)).toBe(false);
  });
});
