import type { Id } from '../../shared/ranking.ts';

export type CheckedRanking = { ok: true; tiers: number[][] } | { ok: false; message: string };

/** A submitted ranking must place every response of the task exactly once, and tie only where the project allows. */
export function checkRanking(ranking: Id[][], responseIds: number[], allowTies: boolean): CheckedRanking {
  const known = new Set(responseIds);
  const seen = new Set<number>();
  const tiers: number[][] = [];
  for (const tier of ranking) {
    if (tier.length === 0) return { ok: false, message: 'a tier is empty' };
    if (tier.length > 1 && !allowTies) return { ok: false, message: 'this project does not allow ties: put one response in each tier' };
    const out: number[] = [];
    for (const raw of tier) {
      const id = typeof raw === 'number' ? raw : Number(raw);
      if (!known.has(id)) return { ok: false, message: `response ${String(raw)} is not part of this task` };
      if (seen.has(id)) return { ok: false, message: `response ${id} appears more than once` };
      seen.add(id);
      out.push(id);
    }
    tiers.push(out);
  }
  const missing = responseIds.filter((id) => !seen.has(id));
  if (missing.length) return { ok: false, message: `the ranking leaves out response${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  return { ok: true, tiers };
}
