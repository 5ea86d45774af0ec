import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, maxServerDelayMs, retryDelayMs, serverRetryDelayMs } from '../../../server/sampling/retry-policy.ts';

describe('retry policy', () => {
  it('retries 408, 409, 429 and 5xx only', () => {
    expect([408, 409, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });

  it('reads retry-after-ms before retry-after', () => {
    expect(serverRetryDelayMs({ retryAfterMs: '1500', retryAfter: '9' }, 0)).toBe(1500);
    expect(serverRetryDelayMs({ retryAfterMs: '12.3' }, 0)).toBe(13);
    expect(serverRetryDelayMs({ retryAfterMs: 'soon', retryAfter: '2' }, 0)).toBe(2000);
  });

  it('reads retry-after as seconds or as an HTTP date (RFC 9110 §10.2.3)', () => {
    expect(serverRetryDelayMs({ retryAfter: '3' }, 0)).toBe(3000);
    expect(serverRetryDelayMs({ retryAfter: '0.5' }, 0)).toBe(500);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(serverRetryDelayMs({ retryAfter: 'Wed, 21 Oct 2015 07:28:05 GMT' }, now)).toBe(5000);
    expect(serverRetryDelayMs({ retryAfter: 'Wed, 21 Oct 2015 07:27:00 GMT' }, now)).toBe(0);
    expect(serverRetryDelayMs({ retryAfter: 'whenever' }, now)).toBeNull();
    expect(serverRetryDelayMs({}, now)).toBeNull();
    expect(serverRetryDelayMs({ retryAfter: '86400' }, 0)).toBe(maxServerDelayMs);
  });

  it('backs off exponentially with jitter, capped', () => {
    const base = { baseMs: 100, capMs: 1000 };
    expect(backoffDelayMs(0, base, () => 0)).toBe(50);
    expect(backoffDelayMs(0, base, () => 1)).toBe(100);
    expect(backoffDelayMs(2, base, () => 0)).toBe(200);
    expect(backoffDelayMs(2, base, () => 1)).toBe(400);
    expect(backoffDelayMs(10, base, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 42, base)).toBe(42);
    expect(retryDelayMs(0, null, base, () => 0.5)).toBe(75);
  });
});
