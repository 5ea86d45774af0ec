import { combinedCriterion, type Criterion } from '../../shared/criteria.ts';
import type { Id, Ranking } from '../../shared/ranking.ts';
import { combinedLabelerRanking, combinedMeanRanks } from './combined-ranks.ts';
import { meanRanks } from './mean-ranks.ts';

/** What a read shows: one criterion of the project, or all of them by weighted mean (`criterion=combined`). */
export type CriterionSelection = { key: string; first: boolean; weights?: undefined } | { key: typeof combinedCriterion; first: false; criteria: readonly Criterion[]; weights: number[] };

/** A stored ranking: the first criterion's tiers, and every criterion's when the project has more than one (null otherwise). */
export type StoredRanking<T extends Id = number> = { ranking: Ranking<T>; criteria: Record<string, Ranking<T>> | null };

/** `criterion=` of a read against the project's criteria: absent is the first; an unknown key is a message naming the known ones. */
export function selectCriterion(criteria: readonly Criterion[], query: string | undefined): { ok: true; selection: CriterionSelection } | { ok: false; message: string } {
  const first = criteria[0];
  if (!first) throw new Error('a project has at least one criterion');
  if (query === undefined || query === '') return { ok: true, selection: { key: first.key, first: true } };
  if (query === combinedCriterion) return { ok: true, selection: { key: combinedCriterion, first: false, criteria, weights: criteria.map((c) => c.weight) } };
  const index = criteria.findIndex((c) => c.key === query);
  if (index < 0) return { ok: false, message: `unknown criterion "${query}": this project's criteria are ${criteria.map((c) => `"${c.key}"`).join(', ')}, or "${combinedCriterion}"` };
  return { ok: true, selection: { key: query, first: index === 0 } };
}

/** One criterion's tiers of a stored ranking; a row without that criterion (not rankable) has none. */
export function tiersOf<T extends Id>(stored: StoredRanking<T>, key: string, first: boolean): Ranking<T> {
  if (first || stored.criteria === null) return first ? stored.ranking : [];
  return stored.criteria[key] ?? [];
}

/**
 * A stored ranking under the selection: the criterion's tiers, or under combined the labeler's combined order with
 * their weighted mean fractional ranks (`ranks`), which mean ranks and pairs read instead of the tiers.
 */
export function rankingUnder<T extends Id>(stored: StoredRanking<T>, selection: CriterionSelection): { ranking: Ranking<T>; ranks?: Map<T, number> } {
  if (selection.weights === undefined) return { ranking: tiersOf(stored, selection.key, selection.first) };
  const criteria = selection.criteria;
  return combinedLabelerRanking(criteria.map((c, i) => tiersOf(stored, c.key, i === 0)), selection.weights);
}

/**
 * Mean ranks of one prompt's counted rankings under the selection: a criterion's by meanRanks over its tiers; under
 * combined, the weighted mean of each criterion's mean ranks (combinedMeanRanks), as DESIGN.md "Criteria" defines it.
 */
export function meanRanksUnder<T extends Id>(counted: readonly StoredRanking<T>[], selection: CriterionSelection): Map<T, number> {
  if (selection.weights === undefined) return meanRanks(counted.map((r) => tiersOf(r, selection.key, selection.first)));
  return combinedMeanRanks(
    selection.criteria.map((c, i) => meanRanks(counted.map((r) => tiersOf(r, c.key, i === 0)))),
    selection.weights,
  );
}

/** Every criterion's tiers of a stored ranking, by key, in the project's order (a one-criterion row: its tiers under its key). */
export function byCriterion<T extends Id>(stored: StoredRanking<T>, criteria: readonly Criterion[]): Record<string, Ranking<T>> {
  return Object.fromEntries(criteria.map((c, i) => [c.key, tiersOf(stored, c.key, i === 0)]));
}

/** What a results or review page shows of one stored ranking: its tiers under the selection, and every criterion's. */
export function shownRanking<T extends Id>(stored: StoredRanking<T> & { notRankable: boolean }, selection: CriterionSelection, criteria: readonly Criterion[]): { ranking: Ranking<T>; byCriterion: Record<string, Ranking<T>> } {
  if (stored.notRankable) return { ranking: stored.ranking, byCriterion: {} };
  return { ranking: rankingUnder(stored, selection).ranking, byCriterion: byCriterion(stored, criteria) };
}
