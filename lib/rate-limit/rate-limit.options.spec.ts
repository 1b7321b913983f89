import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import { RATE_LIMIT_DEFAULTS, resolveRateLimitOptions } from './rate-limit.options.js';

describe('resolveRateLimitOptions', () => {
  it('is undefined (no limits) without the option', () => {
    expect(resolveRateLimitOptions(undefined)).toBeUndefined();
  });

  it('fills every default and freezes the result; per-IP windows default to the key ones', () => {
    const resolved = resolveRateLimitOptions({});
    expect(resolved).toEqual({
      key: RATE_LIMIT_DEFAULTS.key,
      organization: RATE_LIMIT_DEFAULTS.organization,
      ip: RATE_LIMIT_DEFAULTS.key,
      tiers: {},
      redis: undefined,
      store: undefined,
      ietfHeaders: false,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved?.key[0])).toBe(true);
  });

  it('resolves Redis with its defaults, and keeps a store', () => {
    const store = new MemoryRateLimitStore();
    const resolved = resolveRateLimitOptions({ redis: { url: 'redis://127.0.0.1:6379' }, store });
    expect(resolved?.redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      client: undefined,
      commandTimeoutMs: 100,
      prefix: 'rl:',
      failClosed: false,
    });
    expect(resolved?.store).toBe(store);
  });

  it.each([
    [{ key: 'minute' }, 'rateLimit.key'],
    [{ key: [{ name: 'a b', limit: 1, ttl: 1000 }] }, 'rateLimit.key[0].name'],
    [
      {
        key: [
          { name: 'm', limit: 1, ttl: 1000 },
          { name: 'm', limit: 2, ttl: 2000 },
        ],
      },
      'rateLimit.key[1].name',
    ],
    [{ key: [{ name: 'm', limit: 0, ttl: 1000 }] }, 'rateLimit.key[0].limit'],
    [{ organization: [{ name: 'd', limit: 1, ttl: 999 }] }, 'rateLimit.organization[0].ttl'],
    [{ ip: [null] }, 'rateLimit.ip[0].name'],
    [{ tiers: { pro: 0 } }, 'rateLimit.tiers.pro'],
    [{ tiers: { pro: { minute: 0.5 } } }, 'rateLimit.tiers.pro'],
    [{ redis: {} }, 'rateLimit.redis'],
    [{ redis: { url: 'http://x' } }, 'rateLimit.redis'],
    [{ redis: { url: 'redis://x', commandTimeoutMs: 0 } }, 'rateLimit.redis.commandTimeoutMs'],
    [{ redis: { url: 'redis://x', prefix: 5 } }, 'rateLimit.redis.prefix'],
    [{ redis: { url: 'redis://x', failClosed: 'no' } }, 'rateLimit.redis.failClosed'],
    [{ store: {} }, 'rateLimit.store'],
    [{ ietfHeaders: 1 }, 'rateLimit.ietfHeaders'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveRateLimitOptions(options as never), name);
  });
});
