/**
 * Kendall's tau-b between two score vectors over the same items (lower or higher, only the order matters):
 * (P − Q) / √((P + Q + T)(P + Q + U)), P concordant pairs, Q discordant, T tied only in x, U tied only in y.
 * The same definition as scipy.stats.kendalltau (variant 'b'); null where either side is all one tie (scipy's NaN).
 */
export function tauB(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`tauB needs two vectors of the same length (${n} and ${y.length})`);
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  // O(n²) over pairs: n is the number of responses to one prompt, small by design, so this beats sorting.
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - (x[j] as number);
      const dy = yi - (y[j] as number);
      if (dx === 0) {
        // A pair tied on both sides counts in neither T nor U, as in scipy.
        if (dy !== 0) tiedX++;
      } else if (dy === 0) tiedY++;
      else if (dx > 0 === dy > 0) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiedX) * (concordant + discordant + tiedY));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}
