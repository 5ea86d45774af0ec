import { describe, expect, it } from 'vitest';
import { chatCompletionsUrl, parseCompletion, redact, upstreamMessage } from '../../../server/sampling/openai-client.ts';
import { messagesFor } from '../../../server/sampling/chat-request.ts';

describe('the OpenAI-compatible client', () => {
  it('finds the chat completions URL from what a lead types', () => {
    expect(chatCompletionsUrl('https://api.openai.com/v1').href).toBe('https://api.openai.com/v1/chat/completions');
    expect(chatCompletionsUrl('http://localhost:11434/v1/').href).toBe('http://localhost:11434/v1/chat/completions');
    expect(chatCompletionsUrl('http://127.0.0.1:8000').href).toBe('http://127.0.0.1:8000/v1/chat/completions');
    expect(chatCompletionsUrl('http://gw.local/openai/v1/chat/completions').href).toBe('http://gw.local/openai/v1/chat/completions');
  });

  it("reads each server family's error body", () => {
    expect(upstreamMessage('{"error":{"message":"The model `x` does not exist","type":"invalid_request_error"}}')).toBe('The model `x` does not exist');
    expect(upstreamMessage('{"error":"Input validation error: `n` must be 1","error_type":"validation"}')).toBe('Input validation error: `n` must be 1');
    expect(upstreamMessage('{"object":"error","message":"bad seed","type":"BadRequestError","code":400}')).toBe('bad seed');
    expect(upstreamMessage('{"detail":[{"msg":"field required"}]}')).toBe('field required');
    expect(upstreamMessage('<html>Bad Gateway</html>')).toBe('<html>Bad Gateway</html>');
  });

  it('parses choices in index order, content parts, usage and finish reasons', () => {
    const c = parseCompletion(
      JSON.stringify({
        model: 'm',
        choices: [
          { index: 1, message: { role: 'assistant', content: [{ type: 'text', text: 'b' }] }, finish_reason: 'length' },
          { index: 0, message: { role: 'assistant', content: 'a' }, finish_reason: 'stop' },
          { index: 2, message: { role: 'assistant', content: null }, finish_reason: null },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 9 },
      }),
      12,
    );
    expect(c).toEqual({ model: 'm', promptTokens: 3, completionTokens: 9, latencyMs: 12, choices: [{ text: 'a', finishReason: 'stop' }, { text: 'b', finishReason: 'length' }, { text: '', finishReason: null }] });
    expect(() => parseCompletion('{"object":"list"}', 1)).toThrow(/no choices/);
  });

  it('keeps a key out of messages and puts the system prompt first unless the prompt has one', () => {
    expect(redact('Incorrect API key provided: sk-abc123', 'sk-abc123')).toBe('Incorrect API key provided: [redacted]');
    expect(messagesFor('Be brief.', [{ role: 'user', content: 'Hi' }])).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
    const own = [{ role: 'system' as const, content: 'Own.' }, { role: 'user' as const, content: 'Hi' }];
    expect(messagesFor('Be brief.', own)).toEqual(own);
    expect(messagesFor('  ', [{ role: 'user', content: 'Hi' }])).toEqual([{ role: 'user', content: 'Hi' }]);
  });
});
