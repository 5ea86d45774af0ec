/** The difference functions of Krippendorff (2011); `nominal` is there to check against the paper's first figure. */
export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

/** A coincidence matrix over the sorted distinct values: `o[c * values.length + k]` = o_ck. */
export type CoincidenceMatrix = { values: number[]; o: Float64Array };

/**
 * Builds Krippendorff's coincidence matrix unit by unit: a unit with m_u ≥ 2 values adds 1/(m_u − 1) to o_ck for
 * every ordered pair of its values (c, k) coming from different coders; units with fewer values are not pairable.
 * Values are indexed as first seen, so one pass over the data suffices; `matrix()` sorts them at the end.
 */
export class CoincidenceBuilder {
  private readonly index = new Map<number, number>();
  private readonly seen: number[] = [];
  private capacity = 8;
  private o = new Float64Array(64);
  private scratch = new Int32Array(16);

  /** Adds one unit: the first `count` entries of `values` are what its coders assigned (missing ones left out). */
  addUnit(values: ArrayLike<number>, count: number = values.length, weight = 1): void {
    if (count < 2) return;
    if (this.scratch.length < count) this.scratch = new Int32Array(count * 2);
    const idx = this.scratch;
    for (let i = 0; i < count; i++) idx[i] = this.indexOf(values[i] as number);
    const w = weight / (count - 1);
    const cap = this.capacity;
    const o = this.o;
    for (let i = 0; i < count; i++) {
      const row = idx[i]! * cap;
      for (let j = 0; j < count; j++) if (j !== i) o[row + idx[j]!]! += w;
    }
  }

  /** The index a value has in the builder (first-seen order), added if new. */
  indexOf(value: number): number {
    let i = this.index.get(value);
    if (i === undefined) {
      if (!Number.isFinite(value)) throw new RangeError(`a coded value must be a finite number, not ${value}`);
      i = this.seen.length;
      this.index.set(value, i);
      this.seen.push(value);
      if (i >= this.capacity) this.grow();
    }
    return i;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const o = new Float64Array(cap * cap);
    for (let r = 0; r < old; r++) o.set(this.o.subarray(r * old, r * old + old), r * cap);
    this.o = o;
    this.capacity = cap;
  }

  /** Values seen so far in first-seen order (the order `indexOf` answers in). */
  valuesSeen(): readonly number[] {
    return this.seen;
  }

  /** The matrix over the distinct values in ascending order, as the ordinal metric needs. */
  matrix(): CoincidenceMatrix {
    const order = this.seen.map((_, i) => i).sort((a, b) => this.seen[a]! - this.seen[b]!);
    const v = order.length;
    const o = new Float64Array(v * v);
    const cap = this.capacity;
    for (let c = 0; c < v; c++) for (let k = 0; k < v; k++) o[c * v + k] = this.o[order[c]! * cap + order[k]!]!;
    return { values: order.map((i) => this.seen[i]!), o };
  }
}

/**
 * Krippendorff's alpha from a coincidence matrix: α = 1 − D_o/D_e = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck,
 * with δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² (ordinal), (c − k)² (interval), [c ≠ k] (nominal).
 * Null when there is no pairable value or no expected disagreement (every value the same).
 */
export function alphaFromCoincidences(matrix: CoincidenceMatrix, metric: AlphaMetric): number | null {
  const { values, o } = matrix;
  const v = values.length;
  const marginals = new Float64Array(v);
  let n = 0;
  for (let c = 0; c < v; c++) {
    let sum = 0;
    for (let k = 0; k < v; k++) sum += o[c * v + k]!;
    marginals[c] = sum;
    n += sum;
  }
  if (n <= 1) return null;
  // Running sums of n_g let the ordinal δ² of every cell be read in O(1).
  const cumulative = new Float64Array(v + 1);
  for (let c = 0; c < v; c++) cumulative[c + 1] = cumulative[c]! + marginals[c]!;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < v; c++) {
    for (let k = c + 1; k < v; k++) {
      let delta2: number;
      if (metric === 'nominal') delta2 = 1;
      else if (metric === 'interval') delta2 = (values[c]! - values[k]!) ** 2;
      else delta2 = (cumulative[k + 1]! - cumulative[c]! - (marginals[c]! + marginals[k]!) / 2) ** 2;
      // δ² is symmetric and zero on the diagonal, so each unordered cell counts twice.
      observed += (o[c * v + k]! + o[k * v + c]!) * delta2;
      expected += 2 * marginals[c]! * marginals[k]! * delta2;
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/**
 * Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability") over units, each unit the
 * list of values its coders assigned (missing values simply absent), with the given metric.
 */
export function krippendorffAlpha(units: ReadonlyArray<ArrayLike<number>>, metric: AlphaMetric): number | null {
  const builder = new CoincidenceBuilder();
  for (const unit of units) builder.addUnit(unit);
  return alphaFromCoincidences(builder.matrix(), metric);
}

/** Turns a coders × units reliability matrix with null (or NaN) for a missing value into a list of units. */
export function unitsFromReliabilityData(rows: ReadonlyArray<ReadonlyArray<number | null>>): number[][] {
  const units: number[][] = [];
  const width = Math.max(0, ...rows.map((r) => r.length));
  for (let u = 0; u < width; u++) {
    const unit: number[] = [];
    for (const row of rows) {
      const value = row[u];
      if (value !== null && value !== undefined && !Number.isNaN(value)) unit.push(value);
    }
    units.push(unit);
  }
  return units;
}
