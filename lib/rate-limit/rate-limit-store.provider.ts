import { storeProvider } from '../redis/redis-client.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import { RATE_LIMIT_OPTIONS, type ResolvedRateLimitOptions } from './rate-limit.options.js';
import type { RateLimitStore } from './rate-limit.types.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

/** Injection token of the rate-limit store. */
export const RATE_LIMIT_STORE = Symbol('nest-api-errors:rate-limit-store');

/** The app's store, a Redis one when `rateLimit.redis` is set, else one in memory. */
export const rateLimitStoreProvider = storeProvider<RateLimitStore, ResolvedRateLimitOptions>(
  RATE_LIMIT_STORE,
  RATE_LIMIT_OPTIONS,
  {
    memory: () => new MemoryRateLimitStore(),
    redis: (client, { redis }) =>
      new RedisRateLimitStore(client, { failClosed: redis?.failClosed, prefix: redis?.prefix }),
  },
);
