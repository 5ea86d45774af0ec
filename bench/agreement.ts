import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { agreementReport, type RankingRecord } from '../server/metrics/agreement-report.ts';
import { seededRandom } from '../server/metrics/bootstrap.ts';

const labelersPerPrompt = 4;
const responsesPerPrompt = 4;

/**
 * Rankings like a real project's: each prompt has a true order, each labeler sees it through noise, and about one
 * ranking in five has a tie, so every metric takes its tie paths.
 */
function syntheticRankings(prompts: number, seed: number): RankingRecord[] {
  const random = seededRandom(seed);
  const rankings: RankingRecord[] = [];
  const labelerPool = 40;
  for (let p = 0; p < prompts; p++) {
    const quality = Array.from({ length: responsesPerPrompt }, () => random());
    const first = Math.floor(random() * labelerPool);
    for (let l = 0; l < labelersPerPrompt; l++) {
      const scored = quality.map((q, i) => ({ id: `p${p}r${i}`, score: q + 0.35 * random() }));
      scored.sort((a, b) => b.score - a.score);
      const ranking = scored.map((s) => [s.id]);
      if (random() < 0.2) {
        const at = Math.floor(random() * (responsesPerPrompt - 1));
        ranking.splice(at, 2, [...ranking[at]!, ...ranking[at + 1]!]);
      }
      rankings.push({
        prompt: `p${p}`,
        labeler: `labeler${(first + l) % labelerPool}`,
        ranking,
        shownFirst: `p${p}r${Math.floor(random() * responsesPerPrompt)}`,
        durationMs: 5_000 + Math.floor(random() * 20_000),
      });
    }
  }
  return rankings;
}

// The generator leaves a lot of garbage behind; collecting it before each timed run keeps the figure about the report.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function timeReport(rankings: RankingRecord[]): number {
  collectGarbage();
  const start = process.hrtime.bigint();
  agreementReport(rankings);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** All agreement metrics over 1M ranking items (250k rankings of K = 4), then over twice that. */
export async function runAgreementBench(): Promise<Record<string, unknown>> {
  const prompts = 62_500;
  // A small warm-up lets the JIT settle, so the first timed run is not charged for compiling.
  timeReport(syntheticRankings(2_000, 7));
  const single = syntheticRankings(prompts, 1);
  const seconds = timeReport(single);
  single.length = 0;
  const doubled = syntheticRankings(prompts * 2, 2);
  const secondsDoubled = timeReport(doubled);
  const items = prompts * labelersPerPrompt * responsesPerPrompt;
  return {
    bench: 'agreement',
    items,
    seconds: Number(seconds.toFixed(3)),
    secondsDoubled: Number(secondsDoubled.toFixed(3)),
    ratio: Number((secondsDoubled / seconds).toFixed(3)),
    rankings: prompts * labelersPerPrompt,
    responsesPerPrompt,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(JSON.stringify(await runAgreementBench()));
