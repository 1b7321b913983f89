import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { RedisClientHolder } from '../redis/redis-client.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import type { RateLimitStore } from './rate-limit.types.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** Holds the rate-limit store and closes the Redis client it created when the app stops. */
@Injectable()
export class RateLimitStoreHolder extends RedisClientHolder implements OnApplicationShutdown {
  store: RateLimitStore = new MemoryRateLimitStore();

  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {
    super();
  }

  /** Builds the configured store; ioredis is imported only when Redis is configured. */
  async init(): Promise<this> {
    const config = this.options.rateLimit;
    if (config?.store) {
      this.store = config.store;
    } else if (config?.redis) {
      this.store = new RedisRateLimitStore(await this.clientFor(config.redis), {
        failClosed: config.redis.failClosed,
        prefix: config.redis.prefix,
      });
    }
    return this;
  }
}

export const rateLimitStoreProvider = {
  provide: RATE_LIMIT_STORE,
  useFactory: (holder: RateLimitStoreHolder) => holder.init(),
  inject: [RateLimitStoreHolder],
};
