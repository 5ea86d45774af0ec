import { policyLabel, type SamplingPolicy } from '../../shared/sampling.ts';

/** A response already stored for the prompt: which policy wrote it (null when imported) and as which of its samples. */
export type StoredSample = { policy: string | null; sampleIndex: number | null };

/** One sample to draw: sample `index` (0-based, < count) of policy `policy` (its position in the settings). */
export type PlannedSample = { policy: number; index: number };

/**
 * What to sample for one prompt, decided only from what is stored, so a resumed job never over-samples:
 * missing = K − stored, and per policy the sample indices it has not written yet. When imported or
 * foreign responses already fill some of K, the policies share the shortfall round-robin so the mix stays even.
 */
export function planSamples(policies: SamplingPolicy[], k: number, stored: StoredSample[]): PlannedSample[] {
  const missing = Math.max(0, k - stored.length);
  if (missing === 0) return [];
  const free = policies.map((p) => {
    const label = policyLabel(p);
    const taken = new Set<number>();
    let unindexed = 0;
    for (const s of stored) {
      if (s.policy !== label) continue;
      if (s.sampleIndex !== null && s.sampleIndex >= 0 && s.sampleIndex < p.count && !taken.has(s.sampleIndex)) taken.add(s.sampleIndex);
      else unindexed++;
    }
    const open: number[] = [];
    for (let i = 0; i < p.count; i++) if (!taken.has(i)) open.push(i);
    // A response of this policy without a usable index still fills one of its places (the last ones).
    return open.slice(0, Math.max(0, open.length - unindexed));
  });
  const plan: PlannedSample[] = [];
  for (let round = 0; plan.length < missing; round++) {
    let any = false;
    for (let p = 0; p < free.length && plan.length < missing; p++) {
      const index = free[p]?.[round];
      if (index === undefined) continue;
      plan.push({ policy: p, index });
      any = true;
    }
    if (!any) break;
  }
  return plan;
}

/** The seed sample `index` gets: seed + index, and past the policy's count for re-samples, so no two samples share one. */
export function sampleSeed(policy: SamplingPolicy, index: number, resample: number): number | null {
  return policy.seed === undefined ? null : policy.seed + index + resample * policy.count;
}

/** Whether the endpoint returns n choices for n: unknown until a multi-choice request tells us. */
export type NMode = 'unknown' | 'n' | 'single';

/** One HTTP request: the samples it should bring back (several only when it asks for n > 1). */
export type PlannedRequest = { policy: number; indices: number[] };

/**
 * Groups a prompt's samples into requests: one request with n = how many a policy needs where the endpoint
 * may honour n; one request per sample where it does not, or where the policy has a seed (a single seed
 * with n > 1 would make every choice alike, so each sample needs its own request and its own seed).
 */
export function groupRequests(plan: PlannedSample[], policies: SamplingPolicy[], nMode: NMode): PlannedRequest[] {
  const byPolicy = new Map<number, number[]>();
  for (const s of plan) {
    const list = byPolicy.get(s.policy) ?? [];
    list.push(s.index);
    byPolicy.set(s.policy, list);
  }
  const requests: PlannedRequest[] = [];
  for (const [policy, indices] of byPolicy) {
    const seeded = policies[policy]?.seed !== undefined;
    if (seeded || nMode === 'single' || indices.length === 1) for (const i of indices) requests.push({ policy, indices: [i] });
    else requests.push({ policy, indices });
  }
  return requests;
}

/** The key duplicate detection compares: the text with its outer whitespace trimmed. */
export const duplicateKey = (text: string) => text.trim();
