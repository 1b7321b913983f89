import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { useRealRedis } from '../../test/support/real-redis.js';
import { ApiException } from '../errors/api.exception.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

// A real Redis: these tests fail, never skip, when it does not answer.
describe('RedisRateLimitStore against a real Redis', () => {
  const prefix = `test:${randomUUID()}:`;
  const redis = useRealRedis(prefix);

  it('is all or nothing over several windows in one script (188, not 187)', async () => {
    const store = new RedisRateLimitStore(redis(), { prefix });
    const checks = [
      { key: '{org}:k:a:minute', limit: 12, ttlMs: 60_000 },
      { key: '{org}:k:a:hour', limit: 200, ttlMs: 3_600_000 },
    ];
    for (let i = 0; i < 12; i++)
      expect((await store.consume(checks, Date.now())).admitted).toBe(true);
    const rejected = await store.consume(checks, Date.now());
    expect(rejected.admitted).toBe(false);
    expect(rejected.windows.map((w) => w.remaining)).toEqual([0, 188]);
    expect(await redis().get(`${prefix}{org}:k:a:hour`)).toBe('12');
    const pttl = await redis().pttl(`${prefix}{org}:k:a:minute`);
    expect(pttl).toBeGreaterThan(50_000);
    expect(rejected.windows[0].resetAt - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('peeks at counters in one read-only script, counting nothing', async () => {
    const store = new RedisRateLimitStore(redis(), { prefix });
    const checks = [
      { key: '{org}:k:p:minute', limit: 12, ttlMs: 60_000 },
      { key: '{org}:k:p:hour', limit: 200, ttlMs: 3_600_000 },
    ];
    const now = Date.now();
    expect(await store.peek(checks, now)).toEqual([
      { limit: 12, remaining: 12, resetAt: now + 60_000 },
      { limit: 200, remaining: 200, resetAt: now + 3_600_000 },
    ]);
    expect(await redis().exists(`${prefix}{org}:k:p:minute`)).toBe(0);
    await store.consume(checks, Date.now());
    await store.consume(checks, Date.now());
    const peeked = await store.peek(checks, Date.now());
    expect(peeked.map((w) => w.remaining)).toEqual([10, 198]);
    expect(peeked[0].resetAt - Date.now()).toBeLessThanOrEqual(60_000);
    expect(peeked[0].resetAt - Date.now()).toBeGreaterThan(50_000);
    expect(await redis().get(`${prefix}{org}:k:p:minute`)).toBe('2');
    expect((await store.peek(checks, Date.now())).map((w) => w.remaining)).toEqual([10, 198]);
  });

  it('admits exactly the limit under concurrency', async () => {
    const store = new RedisRateLimitStore(redis(), { prefix });
    const check = [{ key: '{org}:k:b:minute', limit: 25, ttlMs: 60_000 }];
    const results = await Promise.all(
      Array.from({ length: 125 }, () => store.consume(check, Date.now())),
    );
    expect(results.filter((r) => r.admitted)).toHaveLength(25);
  });

  it('falls back to memory when Redis is unreachable, or answers 503 with failClosed', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    try {
      const check = [{ key: 'x', limit: 1, ttlMs: 60_000 }];
      const open = new RedisRateLimitStore(down, { prefix });
      expect((await open.consume(check, 0)).admitted).toBe(true);
      expect((await open.consume(check, 1)).admitted).toBe(false);
      const closed = new RedisRateLimitStore(down, { prefix, failClosed: true });
      const failure = await closed.consume(check, 0).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ApiException);
      expect((failure as ApiException).code).toBe('service_unavailable');
      expect((failure as ApiException).extras.headers).toEqual({ 'Retry-After': '1' });
    } finally {
      down.disconnect();
    }
  });
});
