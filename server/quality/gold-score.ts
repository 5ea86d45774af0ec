import type { Id, Ranking } from '../../shared/ranking.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';
import { tauB } from '../metrics/tau-b.ts';

/** A labeler's ranking of a gold prompt beside the prompt's known order. */
export type GoldAnswer<T extends Id = Id> = { ranking: Ranking<T>; gold: Ranking<T> };

/**
 * `meanTauB`: mean tau-b between the labeler's ranking and the gold order over their gold tasks (a task where
 * either side is all one tie has no tau-b and is left out, as for labeler quality). `topMatch`: mean share of the
 * labeler's top tier that lies in the gold top tier, so tying everything first earns 1/K, not a free match.
 */
export type GoldScore = { tasks: number; meanTauB: number | null; topMatch: number | null };

export type GoldSettings = { goldMinTasks: number; goldMinTauB: number };

/** One labeler's gold score over their gold answers. */
export function goldScore<T extends Id>(answers: readonly GoldAnswer<T>[]): GoldScore {
  let tauSum = 0;
  let tauCount = 0;
  let topSum = 0;
  for (const { ranking, gold } of answers) {
    const mine = fractionalRanks(ranking);
    const known = fractionalRanks(gold);
    const ids = gold.flat();
    const tau = tauB(
      ids.map((id) => mine.get(id) ?? Number.NaN),
      ids.map((id) => known.get(id) as number),
    );
    if (tau !== null && Number.isFinite(tau)) {
      tauSum += tau;
      tauCount++;
    }
    const top = ranking[0] ?? [];
    const goldTop = new Set(gold[0] ?? []);
    topSum += top.length ? top.filter((id) => goldTop.has(id)).length / top.length : 0;
  }
  return {
    tasks: answers.length,
    meanTauB: tauCount ? tauSum / tauCount : null,
    topMatch: answers.length ? topSum / answers.length : null,
  };
}

/** Paused once enough gold tasks show the labeler's orders track the known ones too weakly. */
export function pausedByGold(score: GoldScore, settings: GoldSettings): boolean {
  return score.tasks >= settings.goldMinTasks && score.meanTauB !== null && score.meanTauB < settings.goldMinTauB;
}

const noGold: GoldScore = { tasks: 0, meanTauB: null, topMatch: null };

/** The agreement report's labelers, each with their gold score (none yet: 0 tasks), as the API and the CLI print them. */
export function withGoldScores<L extends { labeler: Id }>(labelers: readonly L[], scores: ReadonlyMap<number, GoldScore>): (L & { gold: GoldScore })[] {
  return labelers.map((l) => ({ ...l, gold: scores.get(Number(l.labeler)) ?? noGold }));
}
