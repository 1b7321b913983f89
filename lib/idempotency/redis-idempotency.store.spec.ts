import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useRealRedis } from '../../test/support/real-redis.js';
import { RedisIdempotencyStore } from './redis-idempotency.store.js';

const RESPONSE = { status: 201, headers: { 'content-type': 'application/json' }, body: 'e30=' };

// A real Redis: these tests fail, never skip, when it does not answer.
describe('RedisIdempotencyStore against a real Redis', () => {
  const prefix = `test:${randomUUID()}:idem:`;
  const redis = useRealRedis(prefix);

  it('claims atomically: one of 20 concurrent claims wins', async () => {
    const store = new RedisIdempotencyStore(redis(), prefix);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.claim('race', 'fp', `t${i}`, 60_000)),
    );
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'in_flight')).toHaveLength(19);
  });

  it('stores the response under the winning token only, with the record TTL', async () => {
    const store = new RedisIdempotencyStore(redis(), prefix);
    await store.claim('done', 'fp', 'mine', 60_000);
    await store.complete('done', 'not-mine', 'fp', RESPONSE, 5_000);
    expect((await store.claim('done', 'fp', 'x', 60_000)).outcome).toBe('in_flight');
    await store.complete('done', 'mine', 'fp', RESPONSE, 5_000);
    expect(await store.claim('done', 'fp', 'y', 60_000)).toEqual({
      outcome: 'completed',
      fingerprint: 'fp',
      response: RESPONSE,
    });
    const ttl = await redis().pttl(`${prefix}done`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('releases only its own claim', async () => {
    const store = new RedisIdempotencyStore(redis(), prefix);
    await store.claim('rel', 'fp', 'mine', 60_000);
    await store.release('rel', 'other');
    expect((await store.claim('rel', 'fp', 'x', 60_000)).outcome).toBe('in_flight');
    await store.release('rel', 'mine');
    expect((await store.claim('rel', 'fp', 'z', 60_000)).outcome).toBe('claimed');
  });
});
