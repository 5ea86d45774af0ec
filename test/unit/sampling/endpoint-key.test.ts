import { describe, expect, it } from 'vitest';
import { keyEnvAllowed, keysAfterEdit, resolveApiKey, sameEndpoint } from '../../../server/sampling/endpoint-key.ts';

const before = { baseUrl: 'http://gpu:8000/v1', apiKey: 'sk-stored', apiKeyEnv: 'PODIUM_KEY_GPU' };

describe('sameEndpoint: where the key would be sent', () => {
  it('is one endpoint however the same URL is written', () => {
    expect(sameEndpoint('http://gpu:8000/v1', 'http://GPU:8000/v1/')).toBe(true);
    expect(sameEndpoint('http://gpu:8000/v1', 'http://gpu:8000/v1/chat/completions')).toBe(true);
    expect(sameEndpoint('https://api.openai.com/v1', 'https://api.openai.com:443/v1')).toBe(true);
  });
  it('is another endpoint for any other host, port, scheme, path, query or credentials', () => {
    for (const other of ['http://evil:8000/v1', 'http://gpu:8001/v1', 'https://gpu:8000/v1', 'http://gpu:8000/v2', 'http://gpu:8000/v1?x=1', 'http://u:p@gpu:8000/v1', 'http://gpu.evil.com:8000/v1']) {
      expect(sameEndpoint('http://gpu:8000/v1', other), other).toBe(false);
    }
    expect(sameEndpoint('http://gpu:8000/v1', 'not a url')).toBe(false);
  });
});

describe('keysAfterEdit', () => {
  it('keeps both keys while the URL stays and an absent field means keep', () => {
    expect(keysAfterEdit(before, { baseUrl: 'http://gpu:8000/v1/' }, false)).toEqual({ ok: true, keys: { ...before, baseUrl: 'http://gpu:8000/v1/' }, dropped: { apiKey: false, apiKeyEnv: false } });
    expect(keysAfterEdit(before, { baseUrl: before.baseUrl, apiKeyEnv: 'PODIUM_KEY_GPU' }, false).ok).toBe(true);
  });
  it('drops both keys when the URL changes, unless the same edit brings a key', () => {
    expect(keysAfterEdit(before, { baseUrl: 'http://evil/v1' }, false)).toEqual({ ok: true, keys: { baseUrl: 'http://evil/v1', apiKey: null, apiKeyEnv: null }, dropped: { apiKey: true, apiKeyEnv: true } });
    const withKey = keysAfterEdit(before, { baseUrl: 'http://evil/v1', apiKey: 'sk-new' }, false);
    expect(withKey).toMatchObject({ ok: true, keys: { apiKey: 'sk-new', apiKeyEnv: null }, dropped: { apiKey: false, apiKeyEnv: true } });
  });
  it('lets only an admin name a variable, or carry one to a new URL; anyone may drop one', () => {
    expect(keysAfterEdit(before, { baseUrl: before.baseUrl, apiKeyEnv: 'PODIUM_KEY_OTHER' }, false)).toMatchObject({ ok: false });
    expect(keysAfterEdit(before, { baseUrl: 'http://evil/v1', apiKeyEnv: 'PODIUM_KEY_GPU' }, false)).toMatchObject({ ok: false, message: expect.stringContaining('new base URL') });
    expect(keysAfterEdit(null, { baseUrl: 'http://evil/v1', apiKeyEnv: 'PODIUM_KEY_GPU' }, false)).toMatchObject({ ok: false });
    expect(keysAfterEdit(before, { baseUrl: 'http://new/v1', apiKeyEnv: 'PODIUM_KEY_GPU' }, true)).toMatchObject({ ok: true, keys: { apiKeyEnv: 'PODIUM_KEY_GPU', apiKey: null } });
    expect(keysAfterEdit(before, { baseUrl: before.baseUrl, apiKeyEnv: null }, false)).toMatchObject({ ok: true, keys: { apiKeyEnv: null } });
  });
});

describe('resolveApiKey', () => {
  it('reads only variables with the prefix', () => {
    const env = { PODIUM_ADMIN_PASSWORD: 'secret', PODIUM_KEY_GPU: 'sk-env' };
    expect(resolveApiKey({ apiKey: null, apiKeyEnv: 'PODIUM_ADMIN_PASSWORD' }, env)).toBeNull();
    expect(resolveApiKey({ apiKey: null, apiKeyEnv: 'PODIUM_KEY_GPU' }, env)).toBe('sk-env');
    expect(resolveApiKey({ apiKey: 'sk-stored', apiKeyEnv: 'PODIUM_KEY_GPU' }, env)).toBe('sk-stored');
    expect(keyEnvAllowed('PODIUM_KEY_')).toBe(false);
  });
});
