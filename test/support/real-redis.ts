import { afterAll, beforeAll, expect } from '@jest/globals';
import { Redis } from 'ioredis';

/** The Redis the tests run against: the Jest global setup makes sure one answers here. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * The sample app's env for the tests' Redis, under its own key prefix. Commands get 5 s instead
 * of the default 100 ms: on a loaded machine a command can take longer, the app then (rightly)
 * falls back to in-memory limits or answers 503, and a test of what Redis decides would measure
 * the machine instead. Tests of Redis failing use a closed port or stop a server of their own.
 */
export function redisEnv(prefix: string): Record<string, string> {
  return { REDIS_URL, REDIS_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '5000' };
}

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
