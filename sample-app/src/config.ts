import { ERROR_FORMATS, IpAllowlist, type ErrorFormatName } from 'nest-api-errors';

export type HttpPlatform = 'express' | 'fastify';

/** Everything the sample app reads from its environment, with the embedded defaults. */
export interface SampleAppConfig {
  port: number;
  platform: HttpPlatform;
  format: ErrorFormatName;
  /**
   * Where `problem` types live (`https://api.example.com/errors/`): types become that URI + the
   * type's name. Unset: `about:blank` types with the name in `code`.
   */
  typeBaseUri: string | undefined;
  /** JSON file of API keys (`{ "keys": [ … ] }`), relative to the working directory. */
  apiKeysFile: string;
  /** Failed authentications per client IP per minute before 429; 0 turns it off. */
  authFailuresPerMinute: number;
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed, so that each
   * client behind them has its own IP for the failure limiter, rate limits and allowlists.
   */
  trustedProxies: string[];
  /** Status of validation failures, any 4xx. */
  validationStatus: number;
  /** DTOs validated by compiled plans (`validation.compile`); false uses class-validator. */
  validationCompile: boolean;
  /** POST /v1/bookings without an Idempotency-Key gets 400. */
  idempotencyRequired: boolean;
  /** getRequestId() anywhere in a request (AsyncLocalStorage); nothing here calls it. */
  asyncContext: boolean;
  /**
   * How long a client may take, in ms: to send its headers, to send the whole request (a body
   * trickled byte by byte included), and to send the next request on an idle keep-alive
   * connection. A request cut short is answered 408 in the configured format.
   */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  rateLimit: {
    perMinute: number;
    perHour: number;
    organizationPerDay: number;
    /** Counters in Redis when set; in memory otherwise. */
    redisUrl: string | undefined;
    redisPrefix: string;
    /** How long a Redis command may take before it counts as failed (open or closed). */
    redisCommandTimeoutMs: number;
    /** 503 instead of in-memory limits while Redis is down. */
    failClosed: boolean;
    /** Also send RateLimit-Policy and RateLimit. */
    ietfHeaders: boolean;
  };
}

/** The plan tiers, lowest first. */
export const TIERS = ['local', 'network', 'authority'] as const;

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name} is "${value}"; use one of ${allowed.join(', ')}.`);
}

function flag(name: string, value: string | undefined, fallback = false): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new Error(`${name} is "${value}"; use true or false.`);
}

/** A comma-separated list of IP addresses and CIDR ranges, blanks dropped. */
function addresses(name: string, value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  try {
    new IpAllowlist(entries);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}; use addresses or CIDR ranges.`);
  }
  return entries;
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} is "${value}"; use an integer from ${min} to ${max}.`);
  }
  return n;
}

function absoluteUri(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (URL.canParse(value)) return value;
  throw new Error(
    `${name} is "${value}"; use an absolute URI, e.g. https://api.example.com/errors/.`,
  );
}

function timeouts(env: NodeJS.ProcessEnv): SampleAppConfig['timeouts'] {
  const hour = 3_600_000;
  const headersMs = integer('HEADERS_TIMEOUT_MS', env.HEADERS_TIMEOUT_MS, 10_000, 1, hour);
  const requestMs = integer('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 30_000, 1, hour);
  if (headersMs > requestMs) {
    throw new Error(
      `HEADERS_TIMEOUT_MS is ${headersMs}, above REQUEST_TIMEOUT_MS (${requestMs}); the headers are part of the request.`,
    );
  }
  const keepAliveMs = integer('KEEP_ALIVE_TIMEOUT_MS', env.KEEP_ALIVE_TIMEOUT_MS, 5_000, 1, hour);
  return { headersMs, requestMs, keepAliveMs };
}

/** Reads the configuration from `env` (process.env by default). Throws on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SampleAppConfig {
  return {
    port: integer('PORT', env.PORT, 3000, 0, 65535),
    platform: oneOf('HTTP_PLATFORM', env.HTTP_PLATFORM, ['express', 'fastify'], 'express'),
    format: oneOf('ERROR_FORMAT', env.ERROR_FORMAT, ERROR_FORMATS, 'flat'),
    typeBaseUri: absoluteUri('ERROR_TYPE_BASE_URI', env.ERROR_TYPE_BASE_URI),
    idempotencyRequired: flag('IDEMPOTENCY_REQUIRED', env.IDEMPOTENCY_REQUIRED),
    asyncContext: flag('ASYNC_CONTEXT', env.ASYNC_CONTEXT),
    timeouts: timeouts(env),
    rateLimit: {
      perMinute: integer('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 100, 1, 1e9),
      perHour: integer('RATE_LIMIT_PER_HOUR', env.RATE_LIMIT_PER_HOUR, 1000, 1, 1e9),
      organizationPerDay: integer(
        'ORG_RATE_LIMIT_PER_DAY',
        env.ORG_RATE_LIMIT_PER_DAY,
        10_000,
        1,
        1e9,
      ),
      redisUrl: env.REDIS_URL || undefined,
      redisPrefix: env.REDIS_PREFIX || 'bookings:rl:',
      redisCommandTimeoutMs: integer(
        'REDIS_COMMAND_TIMEOUT_MS',
        env.REDIS_COMMAND_TIMEOUT_MS,
        100,
        1,
        60_000,
      ),
      failClosed: flag('RATE_LIMIT_FAIL_CLOSED', env.RATE_LIMIT_FAIL_CLOSED),
      ietfHeaders: flag('RATE_LIMIT_IETF_HEADERS', env.RATE_LIMIT_IETF_HEADERS),
    },
    apiKeysFile: env.API_KEYS_FILE || 'sample-app/fixtures/api-keys.json',
    validationStatus: integer('VALIDATION_STATUS', env.VALIDATION_STATUS, 422, 400, 499),
    validationCompile: flag('VALIDATION_COMPILE', env.VALIDATION_COMPILE, true),
    authFailuresPerMinute: integer(
      'AUTH_FAILURES_PER_MINUTE',
      env.AUTH_FAILURES_PER_MINUTE,
      100,
      0,
      1_000_000,
    ),
    trustedProxies: addresses('TRUSTED_PROXIES', env.TRUSTED_PROXIES),
  };
}
