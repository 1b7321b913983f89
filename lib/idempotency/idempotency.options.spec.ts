import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import { IDEMPOTENCY_DEFAULTS, resolveIdempotencyOptions } from './idempotency.options.js';
import { MemoryIdempotencyStore } from './memory-idempotency.store.js';

describe('resolveIdempotencyOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveIdempotencyOptions(undefined);
    const { prefix: _prefix, ...defaults } = IDEMPOTENCY_DEFAULTS;
    expect(resolved).toEqual({ ...defaults, redis: undefined, store: undefined });
    expect(resolved.ttlMs).toBe(86_400_000);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.methods)).toBe(true);
  });

  it('upper-cases methods, resolves Redis with its prefix and keeps a store', () => {
    const store = new MemoryIdempotencyStore();
    const resolved = resolveIdempotencyOptions({
      methods: ['post', 'Patch'],
      redis: { url: 'rediss://cache:6380' },
      store,
    });
    expect(resolved.methods).toEqual(['POST', 'PATCH']);
    expect(resolved.redis).toMatchObject({ prefix: 'idem:', commandTimeoutMs: 100 });
    expect(resolved.store).toBe(store);
  });

  it.each([
    [{ methods: 'POST' }, 'idempotency.methods'],
    [{ methods: ['PO ST'] }, 'idempotency.methods'],
    [{ required: 'yes' }, 'idempotency.required'],
    // 0 means nothing here: a record kept for no time, a lock that never holds.
    [{ ttlMs: 0 }, 'idempotency.ttlMs'],
    [{ lockTtlMs: 0 }, 'idempotency.lockTtlMs'],
    [{ lockTtlMs: -1 }, 'idempotency.lockTtlMs'],
    [{ maxResponseBytes: 0 }, 'idempotency.maxResponseBytes'],
    [{ storeServerErrors: 1 }, 'idempotency.storeServerErrors'],
    [{ reusedStatus: 409 }, 'idempotency.reusedStatus'],
    [{ redis: {} }, 'idempotency.redis'],
    [{ redis: { url: 'redis://x', commandTimeoutMs: 0 } }, 'idempotency.redis.commandTimeoutMs'],
    [{ store: { claim: () => undefined } }, 'idempotency.store'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveIdempotencyOptions(options as never), name);
  });

  it('says how to fix a zero', () => {
    expectRejected(
      () => resolveIdempotencyOptions({ lockTtlMs: 0 }),
      'idempotency.lockTtlMs',
      'Use a whole number, 1 or more.',
    );
  });
});
