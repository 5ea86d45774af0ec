import type { Criterion, combinedCriterion as sharedCombined } from '../../../shared/criteria.ts';

/**
 * `criterion=combined`, typed against the shared constant: importing that module's value would bring zod into the
 * first chunk every page loads (25 KB compressed) for one string.
 */
export const combinedCriterion: typeof sharedCombined = 'combined';

/**
 * The criterion a lead's page shows, read from its `?criterion=`: a key of the project, `combined` where the page
 * offers it, or undefined for the first criterion (the API's default, so a one-criterion project sends nothing new).
 */
export function chosenCriterion(raw: string | null, criteria: readonly Criterion[] | undefined, allowCombined: boolean): string | undefined {
  if (raw === null || !criteria || criteria.length < 2) return undefined;
  if (raw === combinedCriterion) return allowCombined ? raw : undefined;
  return criteria.some((c, i) => c.key === raw && i > 0) ? raw : undefined;
}

/** `{criterion}` for an API query when one other than the first is chosen, else nothing. */
export const criterionQuery = (criterion: string | undefined): { criterion?: string } => (criterion === undefined ? {} : { criterion });

/** The name a page puts beside its figures: "Harmlessness", "Combined (weighted)". */
export function criterionName(criterion: string | undefined, criteria: readonly Criterion[] | undefined): string | undefined {
  if (!criteria || criteria.length < 2) return undefined;
  if (criterion === combinedCriterion) return 'Combined (weighted)';
  return (criteria.find((c) => c.key === criterion) ?? criteria[0])?.name;
}
