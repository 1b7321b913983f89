import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import { InMemoryApiKeyStore } from './api-key.store.js';
import { API_KEYS_DEFAULTS, resolveApiKeysOptions } from './api-keys.options.js';

const store = new InMemoryApiKeyStore([]);

describe('resolveApiKeysOptions', () => {
  it('is undefined (no authentication) without the option', () => {
    expect(resolveApiKeysOptions(undefined)).toBeUndefined();
  });

  it('fills every default and freezes the result', () => {
    const resolved = resolveApiKeysOptions({ store });
    expect(resolved).toEqual({ store, auditSink: undefined, ...API_KEYS_DEFAULTS });
    expect(resolved?.header).toBe('X-API-Key');
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('takes 0 where 0 turns something off', () => {
    const resolved = resolveApiKeysOptions({
      store,
      cacheTtlMs: 0,
      cacheSize: 0,
      failuresPerMinute: 0,
      auditEventsPerKey: 0,
      auditMaxEvents: 0,
    });
    expect(resolved).toMatchObject({
      cacheTtlMs: 0,
      cacheSize: 0,
      failuresPerMinute: 0,
      auditEventsPerKey: 0,
      auditMaxEvents: 0,
    });
  });

  it.each([
    [{ store: undefined }, 'apiKeys.store'],
    [{ store: { findByDigest: () => undefined } }, 'apiKeys.store'],
    [{ store, header: 'X API Key' }, 'apiKeys.header'],
    [{ store, bearer: 'yes' }, 'apiKeys.bearer'],
    [{ store, cacheTtlMs: -1 }, 'apiKeys.cacheTtlMs'],
    [{ store, cacheSize: 1.5 }, 'apiKeys.cacheSize'],
    [{ store, failuresPerMinute: -5 }, 'apiKeys.failuresPerMinute'],
    [{ store, auditSink: 'log' }, 'apiKeys.auditSink'],
    [{ store, auditEventsPerKey: Number.NaN }, 'apiKeys.auditEventsPerKey'],
    [{ store, auditMaxEvents: -1 }, 'apiKeys.auditMaxEvents'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveApiKeysOptions(options as never), name);
  });
});
