import type { CriterionRankings } from '../../../../shared/criteria.ts';
import { initialRanking, rankingReducer, toTiers, type RankingAction, type RankingState } from './ranking-state.ts';
import { readyToSubmit } from './submission.ts';

/** One criterion's order on a task, and whether the labeler has judged it (the untouched rule, per criterion). */
export type CriterionWork = {
  readonly ranking: RankingState;
  /** A card was moved, placed or tied, or the previous criterion's order was taken over. */
  readonly acted: boolean;
  /** The labeler said the order shown is their ranking for this criterion (Shift+Enter). */
  readonly confirmed: boolean;
};

/** A task ranked once per criterion: the criteria in the project's order, one of them on screen. */
export type CriterionRankingsState = { readonly active: number; readonly works: readonly CriterionWork[] };

export type CriterionRankingsAction =
  /** A change to the order on screen; every one of them counts as acting on it. */
  | { type: 'rank'; action: RankingAction }
  | { type: 'switch'; to: number }
  /** Take over the previous criterion's order (ties included) as this one's judgement. */
  | { type: 'same-as-previous' }
  | { type: 'confirm' };

/**
 * Every criterion starts from the order the server showed, not from the previous criterion's: a second criterion
 * left as it came would otherwise repeat the first judgement without the labeler saying so.
 */
export function initialCriterionRankings(ids: readonly number[], allowTies: boolean, criteria: number): CriterionRankingsState {
  const fresh: CriterionWork = { ranking: initialRanking(ids, allowTies), acted: false, confirmed: false };
  return { active: 0, works: Array.from({ length: Math.max(1, criteria) }, () => fresh) };
}

function withActive(state: CriterionRankingsState, change: (w: CriterionWork) => CriterionWork): CriterionRankingsState {
  return { ...state, works: state.works.map((w, i) => (i === state.active ? change(w) : w)) };
}

export function criterionRankingsReducer(state: CriterionRankingsState, action: CriterionRankingsAction): CriterionRankingsState {
  switch (action.type) {
    case 'rank':
      return withActive(state, (w) => ({ ...w, ranking: rankingReducer(w.ranking, action.action), acted: true }));
    case 'switch': {
      const to = Math.max(0, Math.min(state.works.length - 1, action.to));
      return to === state.active ? state : { ...state, active: to };
    }
    case 'same-as-previous': {
      const previous = state.works[state.active - 1];
      if (!previous) return state;
      return withActive(state, (w) => ({ ...w, ranking: { ...w.ranking, order: [...previous.ranking.order], tied: [...previous.ranking.tied] }, acted: true }));
    }
    case 'confirm':
      return withActive(state, (w) => ({ ...w, confirmed: true }));
  }
}

export const isJudged = (w: CriterionWork): boolean => readyToSubmit({ acted: w.acted, notRankable: false, confirmed: w.confirmed });

/**
 * What Enter does once the criterion on screen is judged: go on to the next criterion not judged yet (after this one,
 * then from the start), or submit when every criterion is. `untouched`: the one on screen is not judged.
 */
export function afterCriterion(state: CriterionRankingsState, notRankable: boolean): { type: 'submit' } | { type: 'untouched' } | { type: 'go'; to: number } {
  if (notRankable) return { type: 'submit' };
  const current = state.works[state.active];
  if (!current || !isJudged(current)) return { type: 'untouched' };
  const n = state.works.length;
  for (let step = 1; step < n; step++) {
    const i = (state.active + step) % n;
    const w = state.works[i];
    if (w && !isJudged(w)) return { type: 'go', to: i };
  }
  return { type: 'submit' };
}

/** `rankings` of the submit body: every criterion's tiers under its key. */
export function toCriterionRankings(state: CriterionRankingsState, keys: readonly string[]): CriterionRankings {
  const out: CriterionRankings = {};
  keys.forEach((key, i) => {
    const w = state.works[i];
    if (w) out[key] = toTiers(w.ranking);
  });
  return out;
}
