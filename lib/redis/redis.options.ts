import type { Redis } from 'ioredis';
import { ApiErrorsConfigError, integerOption } from '../shared/option-checks.js';

/** Where a store's Redis is: a URL the library connects to, or the app's own client. */
export interface RedisConnectionInput {
  /** `redis://host:port/db` (or `rediss://`). A client is created with no offline queue. */
  url?: string;
  /** Your own ioredis client instead (configure `commandTimeout` and `enableOfflineQueue: false`). */
  client?: Redis;
  /**
   * A command slower than this fails, in ms (the store then fails open or closed).
   * @default 100
   */
  commandTimeoutMs?: number;
  /** Prefix of every key the store writes. */
  prefix?: string;
}

/** A checked Redis connection option. */
export interface ResolvedRedisConnection {
  readonly url: string | undefined;
  readonly client: Redis | undefined;
  readonly commandTimeoutMs: number;
  readonly prefix: string;
}

export const REDIS_DEFAULTS = Object.freeze({ commandTimeoutMs: 100 });

/**
 * Checks a Redis option: a `client`, or a `redis(s)://` url; a command timeout of at least 1 ms
 * (ioredis reads 0 as "no timeout", which would let Redis hold every request).
 */
export function resolveRedisConnection(
  option: string,
  input: RedisConnectionInput,
  defaultPrefix: string,
): ResolvedRedisConnection {
  const { url, client } = input;
  if (!client && !(typeof url === 'string' && /^rediss?:\/\//.test(url))) {
    throw new ApiErrorsConfigError(
      option,
      'needs a url or a client',
      'Use e.g. { url: "redis://127.0.0.1:6379" }.',
    );
  }
  const prefix = input.prefix ?? defaultPrefix;
  if (typeof prefix !== 'string') {
    throw new ApiErrorsConfigError(
      `${option}.prefix`,
      'is not a string',
      `Use e.g. "${defaultPrefix}".`,
    );
  }
  return {
    url,
    client,
    commandTimeoutMs: integerOption(
      `${option}.commandTimeoutMs`,
      input.commandTimeoutMs,
      REDIS_DEFAULTS.commandTimeoutMs,
      1,
    ),
    prefix,
  };
}
