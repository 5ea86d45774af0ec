import type { ChatMessage } from '../../shared/messages.ts';
import type { SamplingPolicy } from '../../shared/sampling.ts';
import type { ChatRequestBody } from './openai-client.ts';

/** The prompt's messages as sent: the project's system prompt first, unless the prompt brings its own. */
export function messagesFor(systemPrompt: string, messages: ChatMessage[]): ChatMessage[] {
  if (!systemPrompt.trim() || messages[0]?.role === 'system') return messages;
  return [{ role: 'system', content: systemPrompt }, ...messages];
}

export function requestBody(policy: SamplingPolicy, messages: ChatMessage[], n: number, seed: number | null): ChatRequestBody {
  const body: ChatRequestBody = { model: policy.model, messages };
  if (n > 1) body.n = n;
  if (policy.temperature !== undefined) body.temperature = policy.temperature;
  if (policy.top_p !== undefined) body.top_p = policy.top_p;
  if (policy.max_tokens !== undefined) body.max_tokens = policy.max_tokens;
  if (seed !== null) body.seed = seed;
  return body;
}
