import {
  resolveRedisConnection,
  type RedisConnectionInput,
  type ResolvedRedisConnection,
} from '../redis/redis.options.js';
import { ApiErrorsConfigError, booleanOption, implementsOption } from '../shared/option-checks.js';
import type { RateLimitStore, RateLimitWindow } from './rate-limit.types.js';

/** Redis for rate limits. */
export interface RedisRateLimitOptions extends RedisConnectionInput {
  /**
   * Answer 503 service_unavailable while Redis is down, instead of limiting in memory.
   * @default false
   */
  failClosed?: boolean;
  /**
   * Prefix of every key.
   * @default 'rl:'
   */
  prefix?: string;
}

/** Options of rate limiting (`rateLimit`). */
export interface RateLimitOptions {
  /**
   * Windows per API key.
   * @default [{ name: 'minute', limit: 100, ttl: 60_000 }, { name: 'hour', limit: 1000, ttl: 3_600_000 }]
   */
  key?: readonly RateLimitWindow[];
  /**
   * Windows per organization (all of its keys together).
   * @default [{ name: 'day', limit: 10_000, ttl: 86_400_000 }]
   */
  organization?: readonly RateLimitWindow[];
  /**
   * Windows per client IP, for requests without a principal (public routes, or no `apiKeys`).
   * @default the `key` windows
   */
  ip?: readonly RateLimitWindow[];
  /**
   * Per-tier key limits: a multiplier of every key window (`{ authority: 10 }`), or limits by
   * window name (`{ authority: { minute: 1000 } }`).
   * @default {}
   */
  tiers?: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
  /**
   * Counters in Redis, shared by every instance. `url` or an ioredis `client`.
   * @default undefined (in memory)
   */
  redis?: RedisRateLimitOptions;
  /**
   * Your own store; overrides `redis`.
   * @default an in-memory store
   */
  store?: RateLimitStore;
  /**
   * Also send `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-09), one
   * item per window.
   * @default false
   */
  ietfHeaders?: boolean;
}

/** `rateLimit` after defaults were merged; frozen. */
export interface ResolvedRateLimitOptions {
  readonly key: readonly RateLimitWindow[];
  readonly organization: readonly RateLimitWindow[];
  readonly ip: readonly RateLimitWindow[];
  readonly tiers: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
  readonly redis: (ResolvedRedisConnection & { readonly failClosed: boolean }) | undefined;
  readonly store: RateLimitStore | undefined;
  readonly ietfHeaders: boolean;
}

/** Injection token of {@link ResolvedRateLimitOptions}, or undefined without `rateLimit`. */
export const RATE_LIMIT_OPTIONS = Symbol('nest-api-errors:rate-limit-options');

export const RATE_LIMIT_DEFAULTS = Object.freeze({
  key: Object.freeze([
    Object.freeze({ name: 'minute', limit: 100, ttl: 60_000 }),
    Object.freeze({ name: 'hour', limit: 1000, ttl: 3_600_000 }),
  ]),
  organization: Object.freeze([Object.freeze({ name: 'day', limit: 10_000, ttl: 86_400_000 })]),
  failClosed: false,
  prefix: 'rl:',
  ietfHeaders: false,
});

function resolveWindows(
  option: string,
  windows: readonly RateLimitWindow[],
): readonly RateLimitWindow[] {
  if (!Array.isArray(windows))
    throw new ApiErrorsConfigError(
      option,
      'is not a list',
      'Use e.g. [{ name: "minute", limit: 100, ttl: 60000 }].',
    );
  const names = new Set<string>();
  windows.forEach((window, i) => {
    const at = `${option}[${i}]`;
    if (
      !window ||
      typeof window.name !== 'string' ||
      !/^[A-Za-z0-9_-]{1,32}$/.test(window.name) ||
      names.has(window.name)
    ) {
      throw new ApiErrorsConfigError(
        `${at}.name`,
        'must be a distinct name of [A-Za-z0-9_-]',
        'Name each window, e.g. "minute".',
      );
    }
    names.add(window.name);
    if (!Number.isInteger(window.limit) || window.limit < 1) {
      throw new ApiErrorsConfigError(
        `${at}.limit`,
        `is ${String(window.limit)}`,
        'Use a whole number, 1 or more.',
      );
    }
    if (!Number.isInteger(window.ttl) || window.ttl < 1000) {
      throw new ApiErrorsConfigError(
        `${at}.ttl`,
        `is ${String(window.ttl)}`,
        'Use the window length in ms, at least 1000.',
      );
    }
  });
  return Object.freeze(
    windows.map((w) => Object.freeze({ name: w.name, limit: w.limit, ttl: w.ttl })),
  );
}

/** Checks and freezes `rateLimit`; undefined (no limits) when it is absent. */
export function resolveRateLimitOptions(
  options: RateLimitOptions | undefined,
): ResolvedRateLimitOptions | undefined {
  if (options === undefined) return undefined;
  const d = RATE_LIMIT_DEFAULTS;
  const key = resolveWindows('rateLimit.key', options.key ?? d.key);
  const organization = resolveWindows(
    'rateLimit.organization',
    options.organization ?? d.organization,
  );
  const ip = resolveWindows('rateLimit.ip', options.ip ?? key);
  const tiers = options.tiers ?? {};
  for (const [tier, value] of Object.entries(tiers)) {
    const ok =
      typeof value === 'number'
        ? value > 0 && Number.isFinite(value)
        : value !== null &&
          typeof value === 'object' &&
          Object.values(value).every((n) => Number.isInteger(n) && n >= 1);
    if (!ok)
      throw new ApiErrorsConfigError(
        `rateLimit.tiers.${tier}`,
        'is not a multiplier or a map of limits',
        'Use e.g. 10, or { minute: 1000 }.',
      );
  }
  const redis =
    options.redis === undefined
      ? undefined
      : Object.freeze({
          ...resolveRedisConnection('rateLimit.redis', options.redis, d.prefix),
          failClosed: booleanOption(
            'rateLimit.redis.failClosed',
            options.redis.failClosed,
            d.failClosed,
          ),
        });
  const store =
    options.store === undefined
      ? undefined
      : implementsOption(
          'rateLimit.store',
          options.store,
          ['consume'],
          'Implement RateLimitStore.',
        );
  return Object.freeze({
    key,
    organization,
    ip,
    tiers: Object.freeze({ ...tiers }),
    redis,
    store,
    ietfHeaders: booleanOption('rateLimit.ietfHeaders', options.ietfHeaders, d.ietfHeaders),
  });
}
