import { describe, expect, it } from 'vitest';
import { groupRequests, planSamples, sampleSeed } from '../../../server/sampling/plan-samples.ts';
import { policyLabel, type SamplingPolicy } from '../../../shared/sampling.ts';

const a: SamplingPolicy = { model: 'ckpt-a', count: 3, temperature: 1 };
const b: SamplingPolicy = { model: 'ckpt-b', count: 1, temperature: 0.7, seed: 10 };
const la = policyLabel(a);
const lb = policyLabel(b);

describe('planSamples', () => {
  it('samples every policy in full for an empty prompt', () => {
    expect(planSamples([a, b], 4, [])).toEqual([
      { policy: 0, index: 0 },
      { policy: 1, index: 0 },
      { policy: 0, index: 1 },
      { policy: 0, index: 2 },
    ]);
  });

  it('samples only the indices a policy has not stored, so a resumed job never over-samples', () => {
    const stored = [
      { policy: la, sampleIndex: 0 },
      { policy: la, sampleIndex: 2 },
    ];
    expect(planSamples([a, b], 4, stored)).toEqual([
      { policy: 0, index: 1 },
      { policy: 1, index: 0 },
    ]);
    expect(planSamples([a, b], 4, [...stored, { policy: la, sampleIndex: 1 }, { policy: lb, sampleIndex: 0 }])).toEqual([]);
  });

  it('never plans past K, whoever filled the places', () => {
    expect(planSamples([a, b], 4, [{ policy: null, sampleIndex: null }, { policy: null, sampleIndex: null }, { policy: 'old policy', sampleIndex: 0 }])).toEqual([{ policy: 0, index: 0 }]);
    expect(planSamples([a, b], 4, Array.from({ length: 5 }, () => ({ policy: null, sampleIndex: null })))).toEqual([]);
  });

  it('counts a stored response of the policy without an index as one of its places', () => {
    expect(planSamples([a], 3, [{ policy: la, sampleIndex: null }])).toEqual([
      { policy: 0, index: 0 },
      { policy: 0, index: 1 },
    ]);
  });

  it('shares a shortfall round-robin between policies', () => {
    const c: SamplingPolicy = { model: 'ckpt-c', count: 2 };
    const d: SamplingPolicy = { model: 'ckpt-d', count: 2 };
    expect(planSamples([c, d], 4, [{ policy: null, sampleIndex: null }, { policy: null, sampleIndex: null }])).toEqual([
      { policy: 0, index: 0 },
      { policy: 1, index: 0 },
    ]);
  });
});

describe('seeds and requests', () => {
  it('gives sample i seed + i, and re-samples seeds past the policy count', () => {
    expect([0, 1, 2].map((i) => sampleSeed({ ...a, seed: 100 }, i, 0))).toEqual([100, 101, 102]);
    expect(sampleSeed({ ...a, seed: 100 }, 1, 1)).toBe(104);
    expect(sampleSeed({ ...a, seed: 100 }, 1, 2)).toBe(107);
    expect(sampleSeed(a, 1, 0)).toBeNull();
  });

  it('asks for n where the server may honour it, one request per sample otherwise or with a seed', () => {
    const plan = planSamples([a, b], 4, []);
    expect(groupRequests(plan, [a, b], 'unknown')).toEqual([
      { policy: 0, indices: [0, 1, 2] },
      { policy: 1, indices: [0] },
    ]);
    expect(groupRequests(plan, [a, b], 'single')).toEqual([
      { policy: 0, indices: [0] },
      { policy: 0, indices: [1] },
      { policy: 0, indices: [2] },
      { policy: 1, indices: [0] },
    ]);
    const seeded = { ...a, seed: 5 };
    expect(groupRequests(planSamples([seeded], 3, []), [seeded], 'n')).toHaveLength(3);
  });
});
