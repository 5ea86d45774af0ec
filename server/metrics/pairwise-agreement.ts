/** Agreement of one prompt: `score` summed over every (labeler pair, response pair) case, out of `cases`. */
export type PairwiseCounts = { score: number; cases: number };

/**
 * Pairwise agreement of one prompt: over every pair of labelers and every pair of responses, a case scores 1 when
 * both labelers order the two responses the same way, 0 when they order them oppositely, and 0.5 when at least one
 * of them tied the two (DESIGN: "a tie on either side counts half"; so two labelers who both tie also score 0.5).
 * `ranks[l][i]` is labeler l's fractional rank of response i.
 */
export function pairwiseCounts(ranks: ReadonlyArray<ArrayLike<number>>): PairwiseCounts {
  const m = ranks.length;
  const n = ranks[0]?.length ?? 0;
  if (m < 2 || n < 2) return { score: 0, cases: 0 };
  const labelerPairs = (m * (m - 1)) / 2;
  let score = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Count how many labelers put i ahead, j ahead; agreement over labeler pairs follows from the two counts,
      // so a prompt costs O(n²·m) rather than O(n²·m²).
      let ahead = 0;
      let behind = 0;
      for (let l = 0; l < m; l++) {
        const row = ranks[l]!;
        const d = (row[i] as number) - (row[j] as number);
        if (d < 0) ahead++;
        else if (d > 0) behind++;
      }
      const agree = (ahead * (ahead - 1)) / 2 + (behind * (behind - 1)) / 2;
      const disagree = ahead * behind;
      score += agree + 0.5 * (labelerPairs - agree - disagree);
    }
  }
  return { score, cases: labelerPairs * ((n * (n - 1)) / 2) };
}

/** Pairwise agreement rate over prompts: Σ score / Σ cases (see `pairwiseCounts`); null when no case exists. */
export function pairwiseAgreement(prompts: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>): number | null {
  let score = 0;
  let cases = 0;
  for (const ranks of prompts) {
    const c = pairwiseCounts(ranks);
    score += c.score;
    cases += c.cases;
  }
  return cases === 0 ? null : score / cases;
}
