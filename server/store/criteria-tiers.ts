import type { Ranking } from '../../shared/ranking.ts';

// How a submission's per-criterion rankings sit in its one rankings row (migration 010): `tiers` holds the first
// criterion's tiers, `criteria_tiers` every criterion's as JSON {key: tiers}, NULL when the project has one criterion.

/** The two columns a submission writes, from its checked rankings in the project's criterion order. */
export function storedTiers(byCriterion: readonly { key: string; tiers: number[][] }[]): { tiers: number[][]; criteriaTiers: string | null } {
  const tiers = byCriterion[0]?.tiers ?? [];
  if (byCriterion.length <= 1) return { tiers, criteriaTiers: null };
  return { tiers, criteriaTiers: JSON.stringify(Object.fromEntries(byCriterion.map((c) => [c.key, c.tiers]))) };
}

/** `criteria_tiers` as read back: null when the row holds one criterion (its tiers are `tiers`). */
export function parseCriteriaTiers(json: string | null): Record<string, Ranking<number>> | null {
  return json === null ? null : (JSON.parse(json) as Record<string, Ranking<number>>);
}
