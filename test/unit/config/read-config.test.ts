import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/config.ts';

describe('readConfig', () => {
  it('takes the documented defaults from an empty environment', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', adminPassword: undefined, demo: true, trustProxy: false });
  });

  it('stops start-up on an admin password from the common list or equal to "admin", naming the variable', () => {
    expect(() => readConfig({ PODIUM_ADMIN_PASSWORD: 'password123' })).toThrow(/PODIUM_ADMIN_PASSWORD: this password is one of the most common/);
    expect(() => readConfig({ PODIUM_ADMIN_PASSWORD: 'short' })).toThrow(/at least 8 characters/);
    expect(readConfig({ PODIUM_ADMIN_PASSWORD: 'a long unusual passphrase' }).adminPassword).toBe('a long unusual passphrase');
  });

  it('sizes the Postgres pool from PODIUM_PG_POOL (default 10) and refuses a size below 1', () => {
    expect(readConfig({}).poolSize).toBe(10);
    expect(readConfig({ PODIUM_PG_POOL: '24' }).poolSize).toBe(24);
    expect(() => readConfig({ PODIUM_PG_POOL: '0' })).toThrow(/PODIUM_PG_POOL: PODIUM_PG_POOL must be at least 1/);
    expect(() => readConfig({ PODIUM_PG_POOL: 'many' })).toThrow(/PODIUM_PG_POOL/);
  });
});
