import type { EndpointKeys } from '../sampling/endpoint-key.ts';
import type { SamplingSettings } from '../store/sampling.ts';
import type { StoredJudge } from '../store/judges.ts';

/** Sampling's own defaults (shared/sampling.ts), for a judge of a project that has no sampling settings. */
const defaultTimeoutMs = 120_000;
const defaultMaxRetries = 4;

/**
 * Where a judge's requests go and with which key: its own endpoint with the key stored for it, or else the project's
 * sampling endpoint with sampling's key, read at run time (so a key never travels to a URL it was not stored with).
 * Null when it names none and the project has no sampling settings.
 */
export function judgeEndpointKeys(judge: Pick<StoredJudge, 'baseUrl' | 'apiKey' | 'apiKeyEnv'>, sampling: SamplingSettings | null): EndpointKeys | null {
  if (judge.baseUrl !== null) return { baseUrl: judge.baseUrl, apiKey: judge.apiKey, apiKeyEnv: judge.apiKeyEnv };
  return sampling ? { baseUrl: sampling.baseUrl, apiKey: sampling.apiKey, apiKeyEnv: sampling.apiKeyEnv } : null;
}

/** Timeout and retries per request: the project's sampling settings where it has them. */
export function judgeRequestLimits(sampling: SamplingSettings | null): { timeoutMs: number; maxRetries: number } {
  return { timeoutMs: sampling?.requestTimeoutMs ?? defaultTimeoutMs, maxRetries: sampling?.maxRetries ?? defaultMaxRetries };
}

export const noJudgeEndpoint = "the judge names no endpoint and the project has no sampling settings; give the judge an endpoint or save the project's sampling settings";
