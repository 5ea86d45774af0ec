/** log P(X = j) for X ~ Binomial(n, p), 0 < p < 1, summed in O(min(j, n − j)) steps. */
function logPmf(n: number, j: number, p: number): number {
  const m = Math.min(j, n - j);
  let logChoose = 0;
  for (let i = 1; i <= m; i++) logChoose += Math.log((n - m + i) / i);
  return logChoose + j * Math.log(p) + (n - j) * Math.log1p(-p);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the one-sided p-value of seeing k or more successes by chance. Sums the side of
 * the distribution away from its mode, whose terms only shrink, each relative to the first, so nothing overflows
 * even for millions of trials.
 */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const odds = p / (1 - p);
  if (k > n * p) {
    // Upward from k: term(j + 1) / term(j) = (n − j) / (j + 1) · p / (1 − p) < 1 past the mode.
    let sum = 0;
    let term = 1;
    for (let j = k; j <= n && term > 1e-17 * sum; j++) {
      sum += term;
      term *= ((n - j) / (j + 1)) * odds;
    }
    return Math.min(1, Math.exp(logPmf(n, k, p)) * sum);
  }
  // Downward from k − 1 for the lower tail P(X ≤ k − 1), then its complement.
  let sum = 0;
  let term = 1;
  for (let j = k - 1; j >= 0 && term > 1e-17 * sum; j--) {
    sum += term;
    term *= (j / (n - j + 1)) / odds;
  }
  return Math.max(0, 1 - Math.exp(logPmf(n, k - 1, p)) * sum);
}
