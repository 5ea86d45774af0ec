import { describe, expect, it } from 'vitest';
import { hostOf, hostRefusal, isDelivered, nextAttemptAt, retryDelayMs } from '../../../server/webhooks/delivery-rules.ts';
import { signatureMatches, signatureOf } from '../../../server/webhooks/signature.ts';
import { webhookSettings } from '../../../server/webhooks/delivery-settings.ts';
import { readConfig } from '../../../server/config.ts';

describe('the signature', () => {
  it("is GitHub's scheme: it reproduces the worked example of GitHub's “Validating webhook deliveries” page", () => {
    // docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries: secret "It's a Secret to Everybody", payload "Hello, World!"
    expect(signatureOf('Hello, World!', "It's a Secret to Everybody")).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });
  it('covers the exact bytes: one changed character, another secret or a missing header does not match', () => {
    const body = '{"id":1,"event":"ranking.submitted"}';
    const header = signatureOf(body, 'secret-of-sixteen-chars');
    expect(signatureMatches(body, 'secret-of-sixteen-chars', header)).toBe(true);
    expect(signatureMatches(body.replace('1', '2'), 'secret-of-sixteen-chars', header)).toBe(false);
    expect(signatureMatches(body, 'another-secret-of-16', header)).toBe(false);
    expect(signatureMatches(body, 'secret-of-sixteen-chars', undefined)).toBe(false);
    expect(signatureMatches(body, 'secret-of-sixteen-chars', 'sha256=00')).toBe(false);
  });
});

describe('target hosts', () => {
  it('allows any host, loopback and private ones included, when no list is set', () => {
    for (const url of ['http://127.0.0.1:9000/x', 'http://[::1]/x', 'https://10.1.2.3/x', 'https://ci.example.com/hook']) expect(hostRefusal(url, null)).toBeNull();
  });
  it('with a list, allows exactly those hosts, whatever the case and port', () => {
    const hosts = ['ci.example.com', '::1'];
    expect(hostRefusal('https://CI.Example.com:8443/hook', hosts)).toBeNull();
    expect(hostRefusal('http://[::1]:9/x', hosts)).toBeNull();
    expect(hostRefusal('http://127.0.0.1/x', hosts)).toContain('127.0.0.1 is not in PODIUM_WEBHOOK_HOSTS');
    expect(hostRefusal('https://evil.ci.example.com/x', hosts)).not.toBeNull();
    expect(hostOf('http://[::1]:80/')).toBe('::1');
  });
});

describe('delivered, and when to try again', () => {
  it('only a 2xx is a delivery; a redirect is not', () => {
    expect([200, 201, 204, 299].every(isDelivered)).toBe(true);
    expect([199, 301, 302, 307, 400, 404, 500, 503].some(isDelivered)).toBe(false);
  });
  it('doubles the wait after each failure up to the cap, shortened by at most a fifth', () => {
    const s = { retryMs: 1_000, maxRetryMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, s, 0))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(retryDelayMs(1, s, 1)).toBe(800);
    expect(retryDelayMs(3, s, 0.5)).toBe(3_600);
  });
  it('stops after the last of maxAttempts', () => {
    const s = { retryMs: 1_000, maxRetryMs: 10_000, maxAttempts: 3 };
    expect(nextAttemptAt(1, 5_000, s, 0)).toBe(6_000);
    expect(nextAttemptAt(2, 5_000, s, 0)).toBe(7_000);
    expect(nextAttemptAt(3, 5_000, s, 0)).toBeNull();
  });
});

describe('PODIUM_WEBHOOK_* settings', () => {
  it('default to any host, a 10 s timeout, 10 s doubling to 1 h, 10 attempts, a look every second', () => {
    expect(webhookSettings({})).toEqual({ hosts: null, timeoutMs: 10_000, retryMs: 10_000, maxRetryMs: 3_600_000, maxAttempts: 10, pollMs: 1_000 });
    expect(webhookSettings({ PODIUM_WEBHOOK_HOSTS: '', PODIUM_WEBHOOK_TIMEOUT_MS: '' }).hosts).toBeNull();
  });
  it('read a comma list of hosts and the timings', () => {
    const s = webhookSettings({ PODIUM_WEBHOOK_HOSTS: ' CI.example.com, hooks.internal ,', PODIUM_WEBHOOK_RETRY_MS: '500', PODIUM_WEBHOOK_RETRY_MAX_MS: '100', PODIUM_WEBHOOK_MAX_ATTEMPTS: '3' });
    expect(s).toMatchObject({ hosts: ['ci.example.com', 'hooks.internal'], retryMs: 500, maxRetryMs: 500, maxAttempts: 3 });
  });
  it('stop start-up with the variable named when a value is wrong', () => {
    expect(() => readConfig({ PODIUM_WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(/bad configuration:\n {2}PODIUM_WEBHOOK_TIMEOUT_MS/);
    expect(() => readConfig({ PODIUM_WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/PODIUM_WEBHOOK_MAX_ATTEMPTS/);
  });
});
