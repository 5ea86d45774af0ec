import type { SamplingPolicy, SamplingSettingsView } from '../../../../shared/sampling.ts';

// The sampling form's state: what the lead typed, and the settings it becomes when saved.

/** A policy row as typed: numbers stay strings until saved, so a half-typed "0." is not lost. */
export type PolicyDraft = { name: string; model: string; count: string; temperature: string; top_p: string; max_tokens: string; seed: string };
export type Draft = { baseUrl: string; apiKey: string; removeKey: boolean; apiKeyEnv: string; systemPrompt: string; timeoutSeconds: string; maxRetries: string; policies: PolicyDraft[] };

const text = (n: number | undefined) => (n === undefined ? '' : String(n));
export const policyDraft = (p?: SamplingPolicy, count = 1): PolicyDraft => ({
  name: p?.name ?? '',
  model: p?.model ?? '',
  count: String(p?.count ?? count),
  temperature: text(p?.temperature ?? (p ? undefined : 1)),
  top_p: text(p?.top_p),
  max_tokens: text(p?.max_tokens),
  seed: text(p?.seed),
});
export const draftFrom = (s: SamplingSettingsView | null, k: number): Draft => ({
  baseUrl: s?.endpoint.baseUrl ?? 'http://127.0.0.1:8000/v1',
  apiKey: '',
  removeKey: false,
  apiKeyEnv: s?.endpoint.apiKeyEnv ?? '',
  systemPrompt: s?.systemPrompt ?? '',
  timeoutSeconds: String((s?.requestTimeoutMs ?? 120_000) / 1000),
  maxRetries: String(s?.maxRetries ?? 4),
  policies: s ? s.policies.map((p) => policyDraft(p)) : [policyDraft(undefined, k)],
});

/** Blank means "let the server decide"; anything else goes as a number, and the server says if it is wrong. */
const optionalNumber = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function toPolicy(d: PolicyDraft): SamplingPolicy {
  const p: SamplingPolicy = { model: d.model.trim(), count: Number(d.count) };
  if (d.name.trim()) p.name = d.name.trim();
  const t = optionalNumber(d.temperature);
  const top = optionalNumber(d.top_p);
  const max = optionalNumber(d.max_tokens);
  const seed = optionalNumber(d.seed);
  if (t !== undefined) p.temperature = t;
  if (top !== undefined) p.top_p = top;
  if (max !== undefined) p.max_tokens = max;
  if (seed !== undefined) p.seed = seed;
  return p;
}
