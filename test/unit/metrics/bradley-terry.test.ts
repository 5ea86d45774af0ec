import { describe, expect, it } from 'vitest';
import { comparisonsConnected, eloOf, fitBradleyTerry } from '../../../server/metrics/bradley-terry.ts';

/** An n×n wins matrix from `[winner, loser, count]` triples. */
function winsMatrix(n: number, games: [number, number, number][]): Float64Array {
  const wins = new Float64Array(n * n);
  for (const [w, l, count] of games) wins[w * n + l] = (wins[w * n + l] as number) + count;
  return wins;
}

describe('fitBradleyTerry', () => {
  // The journal citation data of Agresti, Categorical Data Analysis (2nd ed., 2002, p. 448), from Stigler (1994), as the
  // R package BradleyTerry2 ships it (`data(citations)`, hturner/BradleyTerry2 data/citations.R): a citation of journal i
  // by journal j is a win of i over j. Rows cited, columns citing: Biometrika, Comm Statist, JASA, JRSS-B.
  const journals = ['Biometrika', 'Comm Statist', 'JASA', 'JRSS-B'];
  const cited = [
    [714, 730, 498, 221],
    [33, 425, 68, 17],
    [320, 813, 1072, 142],
    [284, 276, 325, 188],
  ];
  const citations = winsMatrix(4, cited.flatMap((row, i) => row.map((count, j) => [i, j, i === j ? 0 : count] as [number, number, number])));
  // Published fit (Turner & Firth, "Bradley-Terry Models in R: The BradleyTerry2 Package", JSS 48(9), 2012, §2.1,
  // `BTm(cbind(win1, win2), journal1, journal2, ~ journal, id = "journal", data = citations.sf)`), abilities relative
  // to Biometrika = 0: Comm Statist −2.9491, JASA −0.4796, JRSS-B 0.2690 (Agresti p. 448 gives the same to 2 decimals).
  const published = [0, -2.9491, -0.4796, 0.269];

  it('reproduces the BradleyTerry2 abilities of the journal citation data (plain MLE)', () => {
    const fit = fitBradleyTerry(4, citations, { prior: 0 });
    expect(fit.converged).toBe(true);
    const relative = Array.from(fit.strengths, (s) => s - (fit.strengths[0] as number));
    relative.forEach((r, i) => expect(r, journals[i]).toBeCloseTo(published[i] as number, 4));
    expect(fit.strengths.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('moves that fit by less than 1e-3 with the default prior', () => {
    const fit = fitBradleyTerry(4, citations);
    const relative = Array.from(fit.strengths, (s) => s - (fit.strengths[0] as number));
    relative.forEach((r, i) => expect(Math.abs(r - (published[i] as number))).toBeLessThan(1e-3));
  });

  it('gives ln 3 between two items when one wins 3 of 4 (a tie counts half each)', () => {
    // 2 wins + 2 ties = 3 wins to 1: odds 3, θA − θB = ln 3, centred ±ln 3 / 2; Elo 1000 ± 200·log10 3.
    const fit = fitBradleyTerry(2, winsMatrix(2, [[0, 1, 2], [0, 1, 1], [1, 0, 1]]), { prior: 0 });
    expect(fit.strengths[0]).toBeCloseTo(Math.log(3) / 2, 10);
    expect(fit.strengths[1]).toBeCloseTo(-Math.log(3) / 2, 10);
    expect(eloOf(fit.strengths[0] as number)).toBeCloseTo(1000 + 200 * Math.log10(3), 8);
  });

  it('gives equal strengths to a balanced cycle and orders a transitive one', () => {
    const cycle = fitBradleyTerry(3, winsMatrix(3, [[0, 1, 5], [1, 2, 5], [2, 0, 5], [1, 0, 5], [2, 1, 5], [0, 2, 5]]), { prior: 0 });
    for (const s of cycle.strengths) expect(s).toBeCloseTo(0, 10);
    // A beats B 2:1 and B beats C 2:1 with A–C never compared: θA − θB = θB − θC = ln 2.
    const chain = fitBradleyTerry(3, winsMatrix(3, [[0, 1, 2], [1, 0, 1], [1, 2, 2], [2, 1, 1]]), { prior: 0 });
    expect((chain.strengths[0] as number) - (chain.strengths[1] as number)).toBeCloseTo(Math.log(2), 10);
    expect((chain.strengths[1] as number) - (chain.strengths[2] as number)).toBeCloseTo(Math.log(2), 10);
  });

  it('keeps an unbeaten item finite and far ahead with the prior', () => {
    const fit = fitBradleyTerry(3, winsMatrix(3, [[0, 1, 10], [0, 2, 10], [1, 2, 6], [2, 1, 4]]));
    expect(fit.converged).toBe(true);
    for (const s of fit.strengths) expect(Number.isFinite(s)).toBe(true);
    expect((fit.strengths[0] as number) - (fit.strengths[1] as number)).toBeGreaterThan(5);
    expect(fit.strengths[1]).toBeGreaterThan(fit.strengths[2] as number);
  });

  it('fits disconnected groups with the prior, leaves uncompared items out, and says the graph is split', () => {
    const wins = winsMatrix(5, [[0, 1, 3], [1, 0, 1], [2, 3, 1], [3, 2, 3]]);
    const fit = fitBradleyTerry(5, wins);
    expect(fit.converged).toBe(true);
    expect(fit.strengths[0]).toBeGreaterThan(fit.strengths[1] as number);
    expect(fit.strengths[3]).toBeGreaterThan(fit.strengths[2] as number);
    expect(Number.isNaN(fit.strengths[4])).toBe(true);
    expect(comparisonsConnected(5, wins)).toBe(false);
    expect(comparisonsConnected(4, citations)).toBe(true);
  });

  it('lands on the same fit from a warm start', () => {
    const cold = fitBradleyTerry(4, citations);
    const warm = fitBradleyTerry(4, citations, { start: [0.5, -2, 0, 0.1] });
    warm.strengths.forEach((s, i) => expect(s).toBeCloseTo(cold.strengths[i] as number, 9));
  });
});
