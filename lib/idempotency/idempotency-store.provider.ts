import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { RedisClientHolder } from '../redis/redis-client.js';
import type { IdempotencyStore } from './idempotency.types.js';
import { MemoryIdempotencyStore } from './memory-idempotency.store.js';
import { RedisIdempotencyStore } from './redis-idempotency.store.js';

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** Holds the idempotency store and closes the Redis client it created when the app stops. */
@Injectable()
export class IdempotencyStoreHolder extends RedisClientHolder implements OnApplicationShutdown {
  store: IdempotencyStore = new MemoryIdempotencyStore();

  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {
    super();
  }

  /** Builds the configured store; ioredis is imported only when Redis is configured. */
  async init(): Promise<this> {
    const config = this.options.idempotency;
    if (config.store) {
      this.store = config.store;
    } else if (config.redis) {
      this.store = new RedisIdempotencyStore(
        await this.clientFor(config.redis),
        config.redis.prefix,
      );
    }
    return this;
  }
}

export const idempotencyStoreProvider = {
  provide: IDEMPOTENCY_STORE,
  useFactory: (holder: IdempotencyStoreHolder) => holder.init(),
  inject: [IdempotencyStoreHolder],
};
