import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { closeRedisClient, createRedisClient } from '../redis/redis-client.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import type { RateLimitStore } from './rate-limit.types.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** Holds the rate-limit store and closes the Redis client it created when the app stops. */
@Injectable()
export class RateLimitStoreHolder implements OnApplicationShutdown {
  store: RateLimitStore = new MemoryRateLimitStore();
  private ownedClient: Redis | undefined;

  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {}

  /** Builds the configured store; ioredis is imported only when Redis is configured. */
  async init(): Promise<this> {
    const config = this.options.rateLimit;
    if (config?.store) {
      this.store = config.store;
    } else if (config?.redis) {
      let client = config.redis.client;
      if (!client) {
        client = await createRedisClient(config.redis.url as string, config.redis.commandTimeoutMs);
        this.ownedClient = client;
      }
      this.store = new RedisRateLimitStore(client, {
        failClosed: config.redis.failClosed,
        prefix: config.redis.prefix,
      });
    }
    return this;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.ownedClient) return;
    const client = this.ownedClient;
    this.ownedClient = undefined;
    await closeRedisClient(client);
  }
}

export const rateLimitStoreProvider = {
  provide: RATE_LIMIT_STORE,
  useFactory: (holder: RateLimitStoreHolder) => holder.init(),
  inject: [RateLimitStoreHolder],
};
