import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { closeRedisClient, createRedisClient } from '../redis/redis-client.js';
import type { IdempotencyStore } from './idempotency.types.js';
import { MemoryIdempotencyStore } from './memory-idempotency.store.js';
import { RedisIdempotencyStore } from './redis-idempotency.store.js';

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** Holds the idempotency store and closes the Redis client it created when the app stops. */
@Injectable()
export class IdempotencyStoreHolder implements OnApplicationShutdown {
  store: IdempotencyStore = new MemoryIdempotencyStore();
  private ownedClient: Redis | undefined;

  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {}

  async init(): Promise<this> {
    const config = this.options.idempotency;
    if (config.store) {
      this.store = config.store;
    } else if (config.redis) {
      let client = config.redis.client;
      if (!client) {
        client = await createRedisClient(config.redis.url as string, config.redis.commandTimeoutMs);
        this.ownedClient = client;
      }
      this.store = new RedisIdempotencyStore(client, config.redis.prefix);
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

export const idempotencyStoreProvider = {
  provide: IDEMPOTENCY_STORE,
  useFactory: (holder: IdempotencyStoreHolder) => holder.init(),
  inject: [IdempotencyStoreHolder],
};
