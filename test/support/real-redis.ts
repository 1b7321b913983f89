import { afterAll, beforeAll, expect } from '@jest/globals';
import { Redis } from 'ioredis';

/** The Redis the tests run against: the Jest global setup makes sure one answers here. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * A client of the real Redis for the tests of the enclosing block: connected before them (they
 * fail, never skip, when Redis does not answer), and after them every key under `prefix` is
 * deleted and the connection closed. Returns a getter, valid once the tests run.
 */
export function useRealRedis(prefix: string): () => Redis {
  let client: Redis | undefined;
  beforeAll(async () => {
    client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    expect(await client.ping()).toBe('PONG');
  });
  afterAll(async () => {
    if (!client) return;
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });
  return () => {
    if (!client) throw new Error('useRealRedis: the client exists only while tests run');
    return client;
  };
}
