/**
 * Bradley–Terry by maximum likelihood: P(i beats j) = 1 / (1 + exp(θj − θi)), fitted by Newton's method with
 * step halving (the log-likelihood is concave, so each accepted step climbs it), then centred so mean θ = 0.
 *
 * Wins are an n×n row-major matrix: `wins[i * n + j]` = how often i beat j, a tie counted as half a win each.
 */

export type BradleyTerryOptions = {
  /**
   * Virtual games each item plays against a fixed reference of strength 0, half of them won. A maximum-likelihood
   * strength does not exist for an item that never lost (or never won), nor between items no chain of comparisons
   * links; this tiny pull toward the reference keeps every strength finite and every component anchored, while
   * moving a fit with hundreds of comparisons per item very little (3e-5 on the journal-citation data). 0 gives the plain MLE (which must then exist).
   */
  prior?: number;
  /** Stop once no strength moves by more than this in an iteration. */
  tolerance?: number;
  maxIterations?: number;
  /** Starting strengths (a warm start, e.g. the full-data fit before a bootstrap resample). */
  start?: ArrayLike<number>;
};

export type BradleyTerryFit = {
  /** Log-strengths centred to mean 0 over the items that were compared at least once (the others are NaN). */
  strengths: Float64Array;
  iterations: number;
  converged: boolean;
};

/** The prior the leaderboard uses: 0.01 virtual games per item against the reference. */
export const defaultPrior = 0.01;

/** Elo-style score of a centred log-strength: 1000 + 400 · θ / ln 10, so 400 points are 10:1 odds. */
export const eloOf = (strength: number): number => 1000 + (400 * strength) / Math.LN10;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** log(1 + e^x) without overflow. */
const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

function logLikelihood(n: number, wins: ArrayLike<number>, theta: Float64Array, active: Uint8Array, prior: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!active[i]) continue;
    for (let j = i + 1; j < n; j++) {
      const wij = wins[i * n + j] as number;
      const wji = wins[j * n + i] as number;
      if (wij + wji === 0) continue;
      const d = (theta[i] as number) - (theta[j] as number);
      sum -= wij * softplus(-d) + wji * softplus(d);
    }
    if (prior > 0) sum -= (prior / 2) * (softplus(-(theta[i] as number)) + softplus(theta[i] as number));
  }
  return sum;
}

/** Solves A x = b in place for a symmetric positive-definite A (Cholesky); false when A is not positive definite. */
function solveSpd(m: number, a: Float64Array, b: Float64Array): boolean {
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * m + k] as number) ** 2;
    if (!(d > 1e-300)) return false;
    const l = Math.sqrt(d);
    a[j * m + j] = l;
    for (let i = j + 1; i < m; i++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * m + k] as number) * (a[j * m + k] as number);
      a[i * m + j] = s / l;
    }
  }
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[i * m + k] as number) * (b[k] as number);
    b[i] = s / (a[i * m + i] as number);
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < m; k++) s -= (a[k * m + i] as number) * (b[k] as number);
    b[i] = s / (a[i * m + i] as number);
  }
  return true;
}

/** Maximum-likelihood Bradley–Terry log-strengths of n items from their pairwise win counts. */
export function fitBradleyTerry(n: number, wins: ArrayLike<number>, options: BradleyTerryOptions = {}): BradleyTerryFit {
  const prior = options.prior ?? defaultPrior;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  // Items without a single comparison have no strength; they sit out of the fit and the centring.
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && (wins[i * n + j] as number) + (wins[j * n + i] as number) > 0) active[i] = 1;
  const index: number[] = [];
  for (let i = 0; i < n; i++) if (active[i]) index.push(i);
  const m = index.length;

  const theta = new Float64Array(n);
  if (options.start) for (const i of index) theta[i] = Number.isFinite(options.start[i] as number) ? (options.start[i] as number) : 0;
  const gradient = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const trial = new Float64Array(n);
  let current = logLikelihood(n, wins, theta, active, prior);
  let iterations = 0;
  let converged = m <= 1;

  while (!converged && iterations < maxIterations) {
    iterations++;
    gradient.fill(0);
    // hessian holds the negated Hessian (positive semi-definite: a weighted graph Laplacian plus the prior's diagonal).
    hessian.fill(0);
    for (let a = 0; a < m; a++) {
      const i = index[a] as number;
      for (let b = a + 1; b < m; b++) {
        const j = index[b] as number;
        const wij = wins[i * n + j] as number;
        const wji = wins[j * n + i] as number;
        const games = wij + wji;
        if (games === 0) continue;
        const p = sigmoid((theta[i] as number) - (theta[j] as number));
        const g = wij - games * p;
        gradient[a] = (gradient[a] as number) + g;
        gradient[b] = (gradient[b] as number) - g;
        const w = games * p * (1 - p);
        hessian[a * m + a] = (hessian[a * m + a] as number) + w;
        hessian[b * m + b] = (hessian[b * m + b] as number) + w;
        hessian[a * m + b] = (hessian[a * m + b] as number) - w;
        hessian[b * m + a] = (hessian[b * m + a] as number) - w;
      }
      if (prior > 0) {
        const s = sigmoid(theta[i] as number);
        gradient[a] = (gradient[a] as number) + prior * (0.5 - s);
        hessian[a * m + a] = (hessian[a * m + a] as number) + prior * s * (1 - s);
      }
    }
    // Without a prior the likelihood is flat along θ + c: adding 1·1ᵀ picks the step with zero sum (the gradient sums to 0).
    if (prior === 0) for (let k = 0; k < m * m; k++) hessian[k] = (hessian[k] as number) + 1;
    const step = gradient;
    if (!solveSpd(m, hessian, step)) break;
    let scale = 1;
    let accepted = false;
    for (let halving = 0; halving < 40; halving++) {
      trial.set(theta);
      for (let a = 0; a < m; a++) trial[index[a] as number] = (theta[index[a] as number] as number) + scale * (step[a] as number);
      const value = logLikelihood(n, wins, trial, active, prior);
      if (value >= current - 1e-12 * Math.abs(current)) {
        current = value;
        accepted = true;
        break;
      }
      scale /= 2;
    }
    if (!accepted) break;
    theta.set(trial);
    let largest = 0;
    for (let a = 0; a < m; a++) largest = Math.max(largest, Math.abs(scale * (step[a] as number)));
    if (largest < tolerance) converged = true;
  }

  let mean = 0;
  for (const i of index) mean += theta[i] as number;
  mean = m > 0 ? mean / m : 0;
  const strengths = new Float64Array(n).fill(Number.NaN);
  for (const i of index) strengths[i] = (theta[i] as number) - mean;
  return { strengths, iterations, converged };
}

/** Whether every compared item is linked to every other by a chain of comparisons (otherwise their scales are not comparable). */
export function comparisonsConnected(n: number, wins: ArrayLike<number>): boolean {
  const compared = (i: number, j: number) => (wins[i * n + j] as number) + (wins[j * n + i] as number) > 0;
  const active: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && compared(i, j)) {
    active.push(i);
    break;
  }
  if (active.length <= 1) return true;
  const seen = new Uint8Array(n);
  const stack = [active[0] as number];
  seen[active[0] as number] = 1;
  let reached = 1;
  while (stack.length) {
    const i = stack.pop() as number;
    for (let j = 0; j < n; j++) {
      if (seen[j] || !compared(i, j)) continue;
      seen[j] = 1;
      reached++;
      stack.push(j);
    }
  }
  return reached === active.length;
}
