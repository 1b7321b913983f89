import { storeProvider } from '../redis/redis-client.js';
import { IDEMPOTENCY_OPTIONS, type ResolvedIdempotencyOptions } from './idempotency.options.js';
import type { IdempotencyStore } from './idempotency.types.js';
import { MemoryIdempotencyStore } from './memory-idempotency.store.js';
import { RedisIdempotencyStore } from './redis-idempotency.store.js';

/** Injection token of the idempotency store. */
export const IDEMPOTENCY_STORE = Symbol('nest-api-errors:idempotency-store');

/** The app's store, a Redis one when `idempotency.redis` is set, else one in memory. */
export const idempotencyStoreProvider = storeProvider<IdempotencyStore, ResolvedIdempotencyOptions>(
  IDEMPOTENCY_STORE,
  IDEMPOTENCY_OPTIONS,
  {
    memory: () => new MemoryIdempotencyStore(),
    redis: (client, { redis }) => new RedisIdempotencyStore(client, redis?.prefix),
  },
);
