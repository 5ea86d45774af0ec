/**
 * Whether a labeler's next task should be gold: their gold share stays within one task of `goldRate`. The deficit
 * d = rate·(n+1) − g (n tasks so far while the project had gold, g of them gold) is the chance of gold now, certain
 * from d ≥ 1, so after n tasks a labeler has met ⌊rate·n⌋ or ⌈rate·n⌉ gold prompts, at no fixed position.
 * `draw` is a uniform number in [0, 1).
 */
export function goldDue(rate: number, seen: number, gold: number, draw: () => number): boolean {
  const deficit = rate * (seen + 1) - gold;
  return deficit >= 1 || (deficit > 0 && draw() < deficit);
}
