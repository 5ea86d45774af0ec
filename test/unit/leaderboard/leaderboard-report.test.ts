import { describe, expect, it } from 'vitest';
import { collectOutcomes, competitorName, weightedWins, type LeaderboardPrompt } from '../../../server/leaderboard/pairwise-outcomes.ts';
import { leaderboardReport } from '../../../server/leaderboard/leaderboard-report.ts';

const response = (id: number, model: string | null, policy: string | null = null) => ({ id, model, policy });

describe('collectOutcomes', () => {
  it('gives each two responses from different models a win, a loss or a tie, and skips same-model pairs', () => {
    // Prompt 1: a (A) first, b (B) and c (C) tied → A>B, A>C, B=C. Prompt 2: a1 (A) > b (B) > a2 (A) → A>B, B>A.
    const prompts: LeaderboardPrompt[] = [
      { responses: [response(1, 'A'), response(2, 'B'), response(3, 'C')], rankings: [[[1], [2, 3]]] },
      { responses: [response(4, 'A'), response(5, 'B'), response(6, 'A')], rankings: [[[4], [5], [6]]] },
      // One model only: no outcome, and the prompt is not a bootstrap unit.
      { responses: [response(7, 'A'), response(8, 'A')], rankings: [[[7], [8]]] },
    ];
    const table = collectOutcomes(prompts, 'model');
    expect(table.names).toEqual(['A', 'B', 'C']);
    expect(table.start.length - 1).toBe(2);
    const wins = weightedWins(table);
    // A over B: one strict win in each prompt; B over A: one (prompt 2); B–C: one tie, half each.
    expect(Array.from(wins)).toEqual([0, 2, 1, 1, 0, 0.5, 0, 0.5, 0]);
    // Weights multiply each prompt's counts: prompt 2 drawn twice, prompt 1 not at all.
    expect(Array.from(weightedWins(table, Float64Array.from([0, 2])))).toEqual([0, 2, 0, 2, 0, 0, 0, 0, 0]);
  });

  it('names a policy by its label, an imported response by its model', () => {
    expect(competitorName(response(1, 'sft-v2', 'sft-v2 t=0.7'), 'policy')).toBe('sft-v2 t=0.7');
    expect(competitorName(response(1, 'sft-v2', null), 'policy')).toBe('sft-v2');
    expect(competitorName(response(1, 'sft-v2', 'sft-v2 t=0.7'), 'model')).toBe('sft-v2');
    expect(competitorName(response(1, null, null), 'model')).toBe('(unknown)');
  });
});

describe('leaderboardReport', () => {
  // Twelve prompts, three models: 9 ranked a > b > c, 3 ranked b > a = c (every fourth).
  const prompts: LeaderboardPrompt[] = Array.from({ length: 12 }, (_, p) => {
    const ids = [p * 3 + 1, p * 3 + 2, p * 3 + 3];
    const [a, b, c] = ids as [number, number, number];
    const order = p % 4 === 0 ? [[b], [a, c]] : [[a], [b], [c]];
    return { responses: [response(a, 'A'), response(b, 'B'), response(c, 'C')], rankings: [order], group: p < 6 ? 'math' : p < 10 ? 'code' : null };
  });

  it('orders the models, counts wins, losses and ties, and gives win rates', () => {
    const report = leaderboardReport(prompts, { by: 'model', bootstrap: 0 });
    expect(report.entries.map((e) => e.name)).toEqual(['A', 'B', 'C']);
    // A: 9 wins and 3 losses against B, 9 wins and 3 ties against C. B: 3 wins over A, 12 over C.
    expect(report.entries[0]).toMatchObject({ name: 'A', wins: 18, losses: 3, ties: 3, comparisons: 24, ci: null });
    expect(report.entries[1]).toMatchObject({ name: 'B', wins: 15, losses: 9, ties: 0, comparisons: 24 });
    expect(report.entries[2]).toMatchObject({ name: 'C', wins: 0, losses: 21, ties: 3, comparisons: 24 });
    expect(report.winRate.A).toEqual({ B: 9 / 12, C: (9 + 1.5) / 12 });
    expect(report.winRate.B!.A).toBe(3 / 12);
    expect(report.outcomes).toBe(36);
    expect(report.prompts).toBe(12);
    expect(report.connected).toBe(true);
    expect(report.entries.reduce((s, e) => s + e.strength, 0)).toBeCloseTo(0, 10);
    for (const e of report.entries) expect(e.elo).toBeCloseTo(1000 + (400 * e.strength) / Math.LN10, 10);
  });

  it('draws reproducible intervals around each elo', () => {
    const one = leaderboardReport(prompts, { by: 'model', bootstrap: 100, seed: 3 });
    const two = leaderboardReport(prompts, { by: 'model', bootstrap: 100, seed: 3 });
    expect(one.entries.map((e) => e.ci)).toEqual(two.entries.map((e) => e.ci));
    for (const e of one.entries) {
      const [lo, hi] = e.ci!;
      expect(lo).toBeLessThan(hi);
      expect(lo).toBeLessThanOrEqual(e.elo);
      expect(hi).toBeGreaterThanOrEqual(e.elo);
    }
  });

  it('adds one table per metadata value, leaving prompts without one out of the groups', () => {
    const report = leaderboardReport(prompts, { by: 'model', bootstrap: 0, group: 'task' });
    expect(report.group).toBe('task');
    expect(Object.keys(report.groups!)).toEqual(['code', 'math']);
    expect(report.groups!.math!.prompts).toBe(6);
    expect(report.groups!.code!.prompts).toBe(4);
    expect(report.prompts).toBe(12);
  });
});
