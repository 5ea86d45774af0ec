import { fileURLToPath } from 'node:url';
import { seededRandom } from '../server/metrics/bootstrap.ts';
import { leaderboardReport } from '../server/leaderboard/leaderboard-report.ts';
import type { LeaderboardPrompt } from '../server/leaderboard/pairwise-outcomes.ts';

const models = 20;
const responsesPerPrompt = 4;
const labelersPerPrompt = 4;
const resamples = 200;
/** Outcomes per prompt: every ranking orders K responses from K different models, K(K−1)/2 pairs each. */
const outcomesPerPrompt = labelersPerPrompt * ((responsesPerPrompt * (responsesPerPrompt - 1)) / 2);

/** Prompts whose K responses come from K distinct models of known strength, ranked by labelers through noise (with ties). */
function syntheticPrompts(prompts: number, seed: number): LeaderboardPrompt[] {
  const random = seededRandom(seed);
  const strength = Array.from({ length: models }, (_, m) => m / 10);
  const out: LeaderboardPrompt[] = [];
  for (let p = 0; p < prompts; p++) {
    const chosen = new Set<number>();
    while (chosen.size < responsesPerPrompt) chosen.add(Math.floor(random() * models));
    const responses = [...chosen].map((m, i) => ({ id: p * responsesPerPrompt + i, model: `model-${m}`, policy: null, m }));
    const rankings = Array.from({ length: labelersPerPrompt }, () => {
      const scored = responses.map((r) => ({ id: r.id, score: (strength[r.m] as number) + 2 * random() }));
      scored.sort((a, b) => b.score - a.score);
      const tiers = scored.map((s) => [s.id]);
      if (random() < 0.2) tiers.splice(1, 2, [...tiers[1]!, ...tiers[2]!]);
      return tiers;
    });
    out.push({ responses: responses.map(({ id, model, policy }) => ({ id, model, policy })), rankings });
  }
  return out;
}

/** The floor: one plain pass over every outcome, counting wins per pair of models, nothing fitted. */
function countOutcomes(prompts: LeaderboardPrompt[]): number {
  const wins = new Float64Array(models * models);
  const modelIndex = new Map(Array.from({ length: models }, (_, m) => [`model-${m}`, m]));
  let outcomes = 0;
  for (const p of prompts) {
    const of = p.responses.map((r) => modelIndex.get(r.model ?? '') ?? 0);
    for (const ranking of p.rankings) {
      const tier = new Map<number | string, number>();
      ranking.forEach((t, i) => t.forEach((id) => tier.set(id, i)));
      for (let a = 0; a < p.responses.length; a++) {
        for (let b = a + 1; b < p.responses.length; b++) {
          const ta = tier.get(p.responses[a]!.id) as number;
          const tb = tier.get(p.responses[b]!.id) as number;
          wins[(of[a] as number) * models + (of[b] as number)]! += ta < tb ? 1 : ta === tb ? 0.5 : 0;
          outcomes++;
        }
      }
    }
  }
  return outcomes;
}

const seconds = (run: () => void): number => {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

/** Fit and 200 bootstrap resamples over 1M pairwise outcomes from 20 models (from the counted rankings' shape on). */
export async function runLeaderboardBench(): Promise<Record<string, unknown>> {
  const prompts = Math.ceil(1_000_000 / outcomesPerPrompt);
  // A small warm-up lets the JIT settle, so the timed run is not charged for compiling.
  leaderboardReport(syntheticPrompts(2_000, 7), { by: 'model', bootstrap: 20 });
  const data = syntheticPrompts(prompts, 1);
  let outcomes = 0;
  const baselineSeconds = seconds(() => {
    outcomes = countOutcomes(data);
  });
  let top = '';
  const fitSeconds = seconds(() => {
    top = leaderboardReport(data, { by: 'model', bootstrap: 0 }).entries[0]?.name ?? '';
  });
  let report: ReturnType<typeof leaderboardReport> | undefined;
  const total = seconds(() => {
    report = leaderboardReport(data, { by: 'model', bootstrap: resamples });
  });
  return {
    bench: 'leaderboard',
    outcomes,
    models: report?.entries.length ?? 0,
    bootstrap: resamples,
    seconds: Number(total.toFixed(3)),
    fitSeconds: Number(fitSeconds.toFixed(3)),
    baselineSeconds: Number(baselineSeconds.toFixed(3)),
    ratio: Number((total / baselineSeconds).toFixed(2)),
    prompts,
    best: top,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(JSON.stringify(await runLeaderboardBench()));
