import type { Criterion } from '../../shared/criteria.ts';
import type { Id } from '../../shared/ranking.ts';
import { checkRanking } from './check-ranking.ts';

/** A submission's rankings, checked: tiers per criterion key in the project's criterion order (empty when not rankable). */
export type CheckedCriteriaRankings =
  | { ok: true; byCriterion: { key: string; tiers: number[][] }[] }
  | { ok: false; code: 'invalid_ranking' | 'invalid_criteria'; message: string };

const keysText = (criteria: readonly Criterion[]): string => criteria.map((c) => `"${c.key}"`).join(', ');

/**
 * One ranking per criterion of the project, each checked like a one-criterion ranking (checkRanking). `ranking` is the
 * shorthand of a one-criterion project; `rankings` must name every criterion and no other. Not rankable with neither
 * is an answer with no tiers.
 */
export function checkCriteriaRankings(
  criteria: readonly Criterion[],
  submitted: { ranking?: Id[][] | undefined; rankings?: Record<string, Id[][]> | undefined; notRankable: boolean },
  responseIds: number[],
  allowTies: boolean,
): CheckedCriteriaRankings {
  const { ranking, rankings } = submitted;
  if (ranking === undefined && rankings === undefined) {
    if (submitted.notRankable) return { ok: true, byCriterion: [] };
    return { ok: false, code: 'invalid_ranking', message: 'a ranking is required unless the task is marked not rankable' };
  }
  let given: Record<string, Id[][]>;
  if (rankings !== undefined) given = rankings;
  else {
    const only = criteria.length === 1 ? criteria[0] : undefined;
    if (!only) return { ok: false, code: 'invalid_criteria', message: `this project ranks by ${criteria.length} criteria (${keysText(criteria)}): send rankings: {KEY: tiers} with each of them` };
    given = { [only.key]: ranking ?? [] };
  }
  const known = new Set(criteria.map((c) => c.key));
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  if (unknown.length) return { ok: false, code: 'invalid_criteria', message: `unknown criterion ${unknown.map((k) => `"${k}"`).join(', ')}: this project's criteria are ${keysText(criteria)}` };
  const missing = criteria.filter((c) => given[c.key] === undefined);
  if (missing.length) return { ok: false, code: 'invalid_criteria', message: `the ranking of criterion ${missing.map((c) => `"${c.key}"`).join(', ')} is missing: every criterion (${keysText(criteria)}) is required` };
  const byCriterion: { key: string; tiers: number[][] }[] = [];
  for (const c of criteria) {
    const checked = checkRanking(given[c.key] ?? [], responseIds, allowTies);
    // A one-criterion project's messages stay as they were; with several, say which ranking is wrong.
    if (!checked.ok) return { ok: false, code: 'invalid_ranking', message: criteria.length > 1 ? `criterion "${c.key}": ${checked.message}` : checked.message };
    byCriterion.push({ key: c.key, tiers: checked.tiers });
  }
  return { ok: true, byCriterion };
}
