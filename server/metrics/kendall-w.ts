/**
 * Kendall's W with tie correction: 12S / (m²(n³−n) − mΣT), S the squared deviations of the items' rank sums
 * from their mean, T = Σ(t³−t) over each rater's tie groups. `ranks[r][i]` is rater r's (fractional) rank of item i.
 * Null where undefined: fewer than 2 raters or items, or every rater ties everything (denominator 0).
 */
export function kendallW(ranks: ReadonlyArray<ArrayLike<number>>): number | null {
  const m = ranks.length;
  if (m < 2) return null;
  const n = ranks[0]?.length ?? 0;
  if (n < 2) return null;
  const sums = new Float64Array(n);
  let ties = 0;
  for (const row of ranks) {
    if (row.length !== n) throw new RangeError(`every rater must rank the same ${n} items`);
    for (let i = 0; i < n; i++) sums[i]! += row[i] as number;
    ties += tieCorrection(row);
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sums[i]!;
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (sums[i]! - mean) ** 2;
  const denominator = m * m * (n * n * n - n) - m * ties;
  // A tiny positive remainder from rounding is as undefined as an exact zero.
  if (!(denominator > 1e-9)) return null;
  return (12 * s) / denominator;
}

/** Σ(t³ − t) over the groups of equal values in one rater's ranks. */
export function tieCorrection(row: ArrayLike<number>): number {
  const n = row.length;
  if (n <= 32) {
    // Each member of a group of size t sees t equal values, so Σᵢ(cᵢ² − 1) = Σ_groups t(t² − 1) without sorting.
    let total = 0;
    for (let i = 0; i < n; i++) {
      let c = 0;
      const v = row[i];
      for (let j = 0; j < n; j++) if (row[j] === v) c++;
      total += c * c - 1;
    }
    return total;
  }
  const sorted = Float64Array.from(row).sort();
  let total = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && sorted[i] === sorted[i - 1]) run++;
    else {
      total += run * run * run - run;
      run = 1;
    }
  }
  return total;
}
