import {
  BUILT_IN_ERROR_CODES,
  ERROR_CATALOGUE,
  isErrorStatus,
  type ErrorCodeDefinition,
} from './errors/error-catalogue.js';
import { ERROR_FORMATS, type ErrorFormatName } from './formats/index.js';
import type { ValidationPipeOptions } from '@nestjs/common';
import type { CustomErrorFormat } from './formats/error-format.js';
import type { AuthAuditSink } from './auth/audit-log.js';
import type { ApiKeyStore } from './auth/api-key.store.js';
import { IpAllowlist, invalidAllowlistEntry } from './auth/ip-allowlist.js';
import type { EntitlementsResolver } from './entitlements/entitlements.types.js';
import type { RateLimitStore, RateLimitWindow } from './rate-limit/rate-limit.types.js';
import type { Redis } from 'ioredis';
import type { IdempotencyStore } from './idempotency/idempotency.types.js';

/** Options of Idempotency-Key handling (`idempotency`). */
export interface IdempotencyOptions {
  /**
   * Methods every route of which is idempotent, as if it had `@Idempotent()`.
   * @default [] (only routes with `@Idempotent()`)
   */
  methods?: readonly string[];
  /**
   * Answer a covered request without `Idempotency-Key` with 400 (a route's `@Idempotent({ required })` wins).
   * @default false
   */
  required?: boolean;
  /**
   * How long a completed response is kept for replay, in ms.
   * @default 86_400_000 (24 h)
   */
  ttlMs?: number;
  /**
   * How long a claim holds while its handler runs; a crashed handler's lock expires after it.
   * @default 60_000
   */
  lockTtlMs?: number;
  /**
   * Also store 5xx responses (as some payment APIs do); by default a 5xx releases the key.
   * @default false
   */
  storeServerErrors?: boolean;
  /**
   * Status of idempotency_key_reused (same key, different request): 422 or 400.
   * @default 422
   */
  reusedStatus?: 422 | 400;
  /**
   * Larger responses are not stored (the key is released).
   * @default 1_048_576
   */
  maxResponseBytes?: number;
  /** Records in Redis, shared by every instance. @default undefined (in memory) */
  redis?: { url?: string; client?: Redis; prefix?: string; commandTimeoutMs?: number };
  /** Your own store; overrides `redis`. */
  store?: IdempotencyStore;
}

/** `idempotency` after defaults were merged. */
export interface ResolvedIdempotencyOptions {
  readonly methods: readonly string[];
  readonly required: boolean;
  readonly ttlMs: number;
  readonly lockTtlMs: number;
  readonly storeServerErrors: boolean;
  readonly reusedStatus: 422 | 400;
  readonly maxResponseBytes: number;
  readonly redis:
    | {
        readonly url?: string;
        readonly client?: Redis;
        readonly prefix: string;
        readonly commandTimeoutMs: number;
      }
    | undefined;
  readonly store: IdempotencyStore | undefined;
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

/** Redis for rate limits. */
export interface RedisRateLimitOptions {
  /** `redis://host:port/db`. A client is created with no offline queue. */
  url?: string;
  /** Your own ioredis client instead (configure `commandTimeout` and `enableOfflineQueue: false`). */
  client?: Redis;
  /**
   * A command slower than this fails (fail open or closed), in ms.
   * @default 100
   */
  commandTimeoutMs?: number;
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

/** `rateLimit` after defaults were merged. */
export interface ResolvedRateLimitOptions {
  readonly key: readonly RateLimitWindow[];
  readonly organization: readonly RateLimitWindow[];
  readonly ip: readonly RateLimitWindow[];
  readonly tiers: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
  readonly redis:
    | Readonly<
        Required<Omit<RedisRateLimitOptions, 'client' | 'url'>> &
          Pick<RedisRateLimitOptions, 'client' | 'url'>
      >
    | undefined;
  readonly store: RateLimitStore | undefined;
  readonly ietfHeaders: boolean;
}
import { PrincipalEntitlementsResolver } from './entitlements/principal-entitlements.resolver.js';

/** Options of plan-based feature gating (`entitlements`). */
export interface EntitlementsOptions {
  /**
   * Plan tiers, lowest first.
   * @default ['local', 'network', 'authority']
   */
  tiers?: readonly string[];
  /**
   * Each feature and the lowest tier that includes it; `null` for a feature sold only as an
   * add-on.
   * @default {}
   */
  features?: Readonly<Record<string, string | null>>;
  /**
   * Where a principal's tier, trials and add-ons come from.
   * @default the API key record's own
   */
  resolver?: EntitlementsResolver;
  /**
   * How long a resolver's answer is reused per key, in ms; never past a running trial's end.
   * @default 0
   */
  cacheTtlMs?: number;
}

/** `entitlements` after defaults were merged. */
export interface ResolvedEntitlementsOptions {
  readonly tiers: readonly string[];
  readonly features: Readonly<Record<string, string | null>>;
  readonly resolver: EntitlementsResolver;
  readonly cacheTtlMs: number;
}

/** Options of the global validation pipe (`validation`). */
export interface ApiValidationOptions extends Omit<ValidationPipeOptions, 'exceptionFactory'> {
  /**
   * Status of validation failures, any 4xx (e.g. 400, or 403 as some providers use).
   * @default 422
   */
  status?: number;
  /**
   * Field errors sent at most; the number left out is stated in the body.
   * @default 100
   */
  maxErrors?: number;
}

/** `validation` after defaults were merged. */
export interface ResolvedValidationOptions {
  readonly enabled: boolean;
  readonly status: number;
  readonly maxErrors: number;
  readonly pipeOptions: Readonly<Omit<ValidationPipeOptions, 'exceptionFactory'>>;
}

/** Options of the API-key guard (`apiKeys`). Only `store` is required. */
export interface ApiKeysOptions {
  /** Where keys are looked up by digest: `loadApiKeysFile(…)`, an `InMemoryApiKeyStore`, or yours. */
  store: ApiKeyStore;
  /**
   * The request header that carries the key.
   * @default 'X-API-Key'
   */
  header?: string;
  /**
   * Also accept `Authorization: Bearer <key>` when the key header is absent.
   * @default false
   */
  bearer?: boolean;
  /**
   * How long a lookup (found or not) is cached, in ms; 0 disables the cache. Expiry and
   * revocation are still checked against the request time on every request.
   * @default 10000
   */
  cacheTtlMs?: number;
  /**
   * How many lookups the cache holds at most.
   * @default 10000
   */
  cacheSize?: number;
  /**
   * Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed. Empty: the socket
   * address is the client's, whatever the headers say.
   * @default []
   */
  trustedProxies?: readonly string[];
  /**
   * Failed authentications allowed per client IP per minute before 429; 0 turns it off.
   * @default 100
   */
  failuresPerMinute?: number;
  /**
   * Receives every authentication event, after the response is decided; errors are logged.
   * @default undefined
   */
  auditSink?: AuthAuditSink;
  /**
   * Events kept in memory per key for `ApiKeyService.auditEvents()`.
   * @default 100
   */
  auditEventsPerKey?: number;
  /**
   * Events kept in memory in all, whatever the number of keys; the oldest go first.
   * @default 10000
   */
  auditMaxEvents?: number;
}

/** `apiKeys` after defaults were merged. */
export interface ResolvedApiKeysOptions {
  readonly store: ApiKeyStore;
  readonly header: string;
  readonly bearer: boolean;
  readonly cacheTtlMs: number;
  readonly cacheSize: number;
  readonly trustedProxies: IpAllowlist;
  readonly failuresPerMinute: number;
  readonly auditSink: AuthAuditSink | undefined;
  readonly auditEventsPerKey: number;
  readonly auditMaxEvents: number;
}

/** A code an app registers: its status and default message; the title defaults from the code. */
export interface ErrorCodeInput {
  status: number;
  message: string;
  title?: string;
}

/** Options of {@link ApiErrorsModule.forRoot}. Every member is optional. */
export interface ApiErrorsModuleOptions {
  /**
   * The error body contract: one of the four built-in formats or a function.
   * @default 'flat'
   */
  format?: ErrorFormatName | CustomErrorFormat;
  /**
   * Turns `problem` types into absolute URIs: `https://example.com/errors/` + type.
   * @default undefined (types stay relative: `not_found`)
   */
  typeBaseUri?: string;
  /**
   * Adds `request_id` to `flat` and `laravel` bodies (`nested` and `problem` always carry it).
   * @default false
   */
  includeRequestId?: boolean;
  /**
   * The header that carries the request id, read from requests and written on every response.
   * @default 'X-Request-Id'
   */
  requestIdHeader?: string;
  /**
   * Opens an async context per request (AsyncLocalStorage), so that `getRequestId()` works
   * anywhere inside it. On Node 20 AsyncLocalStorage hooks every promise, which costs
   * throughput; turn it off when nothing calls `getRequestId()` (the `@RequestId()` decorator
   * and the filter do not need it).
   * @default true
   */
  asyncContext?: boolean;
  /**
   * Sends the real message of 5xx errors. For local development only: never in production.
   * @default false
   */
  exposeInternalErrors?: boolean;
  /**
   * The app's own codes, each with its status and default message.
   * @default {}
   */
  codes?: Record<string, ErrorCodeInput>;
  /**
   * Media types a request body may have; others get 415 unsupported_media_type, and so do a
   * charset other than UTF-8 and a Content-Encoding other than identity. Each type listed must also be parsed by the platform (Express'
   * body-parser, Fastify's content-type parsers). `false` turns the check off (for apps that
   * accept forms or uploads).
   * @default ['application/json']
   */
  bodyContentTypes?: readonly string[] | false;
  /**
   * Bodies nesting objects or arrays deeper than this get 400 bad_request.
   * @default 128
   */
  maxBodyDepth?: number;
  /**
   * API-key authentication for every route not marked `@Public()`.
   * @default undefined (no authentication)
   */
  apiKeys?: ApiKeysOptions;
  /**
   * The global validation pipe: Nest's `ValidationPipe` options (whitelist,
   * forbidNonWhitelisted, transform, …) plus `status` (any 4xx; default 422) and `maxErrors`
   * (field errors sent at most; default 100). `false` registers no pipe. Needs class-validator
   * and class-transformer; without them no pipe is registered.
   * @default {}
   */
  validation?: ApiValidationOptions | false;
  /**
   * Plan-based feature gating for `@RequireFeature`.
   * @default { tiers: ['local', 'network', 'authority'], features: {} }
   */
  entitlements?: EntitlementsOptions;
  /**
   * Rate limits per key, per organization and per client IP, over several windows.
   * @default undefined (no rate limits)
   */
  rateLimit?: RateLimitOptions;
  /**
   * Idempotency-Key handling for `@Idempotent()` routes (and every route of `methods`).
   * @default { methods: [], required: false, ttlMs: 24 h, lockTtlMs: 60 s } in memory
   */
  idempotency?: IdempotencyOptions;
  /**
   * The clock every time-based decision reads (expiry, trials, windows), in epoch ms.
   * Injectable for tests.
   * @default Date.now
   */
  clock?: () => number;
}

/** The options after defaults were merged and checked; frozen. */
export interface ResolvedApiErrorsOptions {
  readonly format: ErrorFormatName | CustomErrorFormat;
  readonly typeBaseUri: string | undefined;
  readonly includeRequestId: boolean;
  readonly requestIdHeader: string;
  readonly exposeInternalErrors: boolean;
  readonly asyncContext: boolean;
  readonly catalogue: Readonly<Record<string, ErrorCodeDefinition>>;
  readonly bodyContentTypes: readonly string[] | false;
  readonly maxBodyDepth: number;
  readonly apiKeys: ResolvedApiKeysOptions | undefined;
  readonly validation: ResolvedValidationOptions;
  readonly entitlements: ResolvedEntitlementsOptions;
  readonly rateLimit: ResolvedRateLimitOptions | undefined;
  readonly idempotency: ResolvedIdempotencyOptions;
  readonly clock: () => number;
}

/** Thrown at bootstrap when an option is wrong; the message names the option and the fix. */
export class ApiErrorsConfigError extends Error {
  override readonly name = 'ApiErrorsConfigError';
  constructor(option: string, problem: string, fix: string) {
    super(`nest-api-errors: option "${option}" ${problem}. ${fix}`);
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CODE_NAME = /^[a-z][a-z0-9_]*$/;

function titleFromCode(code: string): string {
  return code
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function resolveCatalogue(codes: Record<string, ErrorCodeInput> | undefined) {
  const catalogue: Record<string, ErrorCodeDefinition> = { ...ERROR_CATALOGUE };
  for (const [code, input] of Object.entries(codes ?? {})) {
    const option = `codes.${code}`;
    if (!CODE_NAME.test(code)) {
      throw new ApiErrorsConfigError(
        option,
        'is not a valid code name',
        'Use lower snake_case, e.g. "booking_locked".',
      );
    }
    if ((BUILT_IN_ERROR_CODES as readonly string[]).includes(code)) {
      throw new ApiErrorsConfigError(
        option,
        'redefines a built-in code',
        'Pick another name; built-in codes are fixed.',
      );
    }
    if (!input || !isErrorStatus(input.status)) {
      throw new ApiErrorsConfigError(
        `${option}.status`,
        'must be an integer from 400 to 599',
        'Give the HTTP status this code is sent with.',
      );
    }
    if (typeof input.message !== 'string' || input.message.length === 0) {
      throw new ApiErrorsConfigError(
        `${option}.message`,
        'must be a non-empty string',
        'Give the default public message.',
      );
    }
    catalogue[code] = Object.freeze({
      status: input.status,
      message: input.message,
      title: input.title ?? titleFromCode(code),
    });
  }
  return Object.freeze(catalogue);
}

function nonNegativeInteger(option: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0) {
    throw new ApiErrorsConfigError(option, `is ${String(value)}`, 'Use a whole number, 0 or more.');
  }
  return n;
}

function resolveApiKeys(options: ApiKeysOptions | undefined): ResolvedApiKeysOptions | undefined {
  if (options === undefined) return undefined;
  const store = options.store;
  if (!store || typeof store.findByDigest !== 'function' || typeof store.findById !== 'function') {
    throw new ApiErrorsConfigError(
      'apiKeys.store',
      'is not an ApiKeyStore',
      'Use loadApiKeysFile(path), new InMemoryApiKeyStore(records) or your own store.',
    );
  }
  const header = options.header ?? 'X-API-Key';
  if (!HEADER_NAME.test(header)) {
    throw new ApiErrorsConfigError(
      'apiKeys.header',
      'is not a valid header name',
      'Use e.g. "X-API-Key".',
    );
  }
  const proxies = options.trustedProxies ?? [];
  for (const entry of proxies) {
    const reason = invalidAllowlistEntry(entry);
    if (reason)
      throw new ApiErrorsConfigError(
        'apiKeys.trustedProxies',
        reason,
        'Use IP addresses or CIDR ranges.',
      );
  }
  if (options.auditSink !== undefined && typeof options.auditSink !== 'function') {
    throw new ApiErrorsConfigError(
      'apiKeys.auditSink',
      'is not a function',
      'Pass (event) => void.',
    );
  }
  return Object.freeze({
    store,
    header,
    bearer: options.bearer ?? false,
    cacheTtlMs: nonNegativeInteger('apiKeys.cacheTtlMs', options.cacheTtlMs, 10_000),
    cacheSize: nonNegativeInteger('apiKeys.cacheSize', options.cacheSize, 10_000),
    trustedProxies: new IpAllowlist(proxies),
    failuresPerMinute: nonNegativeInteger(
      'apiKeys.failuresPerMinute',
      options.failuresPerMinute,
      100,
    ),
    auditSink: options.auditSink,
    auditEventsPerKey: nonNegativeInteger(
      'apiKeys.auditEventsPerKey',
      options.auditEventsPerKey,
      100,
    ),
    auditMaxEvents: nonNegativeInteger('apiKeys.auditMaxEvents', options.auditMaxEvents, 10_000),
  });
}

function resolveEntitlements(
  options: EntitlementsOptions | undefined,
): ResolvedEntitlementsOptions {
  const tiers = options?.tiers ?? ['local', 'network', 'authority'];
  if (
    !Array.isArray(tiers) ||
    tiers.length === 0 ||
    tiers.some((t) => typeof t !== 'string' || t === '') ||
    new Set(tiers).size !== tiers.length
  ) {
    throw new ApiErrorsConfigError(
      'entitlements.tiers',
      'must be a non-empty list of distinct names',
      'List the tiers lowest first, e.g. ["local", "network", "authority"].',
    );
  }
  const features = { ...(options?.features ?? {}) };
  for (const [feature, tier] of Object.entries(features)) {
    if (tier !== null && !tiers.includes(tier)) {
      throw new ApiErrorsConfigError(
        `entitlements.features.${feature}`,
        `is "${String(tier)}", which is not a tier`,
        `Use one of ${tiers.join(', ')}, or null for an add-on-only feature.`,
      );
    }
  }
  const resolver = options?.resolver ?? new PrincipalEntitlementsResolver();
  if (typeof resolver.resolve !== 'function') {
    throw new ApiErrorsConfigError(
      'entitlements.resolver',
      'has no resolve() method',
      'Implement EntitlementsResolver.',
    );
  }
  return Object.freeze({
    tiers: Object.freeze([...tiers]),
    features: Object.freeze(features),
    resolver,
    cacheTtlMs: nonNegativeInteger('entitlements.cacheTtlMs', options?.cacheTtlMs, 0),
  });
}

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

function resolveRateLimit(
  options: RateLimitOptions | undefined,
): ResolvedRateLimitOptions | undefined {
  if (options === undefined) return undefined;
  const key = resolveWindows(
    'rateLimit.key',
    options.key ?? [
      { name: 'minute', limit: 100, ttl: 60_000 },
      { name: 'hour', limit: 1000, ttl: 3_600_000 },
    ],
  );
  const organization = resolveWindows(
    'rateLimit.organization',
    options.organization ?? [{ name: 'day', limit: 10_000, ttl: 86_400_000 }],
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
  let redis: ResolvedRateLimitOptions['redis'];
  if (options.redis !== undefined) {
    redis = Object.freeze({
      ...redisConnection('rateLimit.redis', options.redis),
      commandTimeoutMs: nonNegativeInteger(
        'rateLimit.redis.commandTimeoutMs',
        options.redis.commandTimeoutMs,
        100,
      ),
      failClosed: options.redis.failClosed ?? false,
      prefix: options.redis.prefix ?? 'rl:',
    });
  }
  if (options.store !== undefined && typeof options.store.consume !== 'function') {
    throw new ApiErrorsConfigError(
      'rateLimit.store',
      'has no consume() method',
      'Implement RateLimitStore.',
    );
  }
  return Object.freeze({
    key,
    organization,
    ip,
    tiers: Object.freeze({ ...tiers }),
    redis,
    store: options.store,
    ietfHeaders: options.ietfHeaders ?? false,
  });
}

/** The `url` or `client` of a Redis option: one of them, and a url must be redis(s)://. */
function redisConnection<C>(
  name: string,
  options: { readonly url?: string; readonly client?: C },
): { url: string | undefined; client: C | undefined } {
  const { url, client } = options;
  if (!client && !(typeof url === 'string' && /^rediss?:\/\//.test(url))) {
    throw new ApiErrorsConfigError(
      name,
      'needs a url or a client',
      'Use e.g. { url: "redis://127.0.0.1:6379" }.',
    );
  }
  return { url, client };
}

function resolveIdempotency(options: IdempotencyOptions | undefined): ResolvedIdempotencyOptions {
  const methods = (options?.methods ?? []).map((m) => String(m).toUpperCase());
  if (methods.some((m) => !/^[A-Z]+$/.test(m))) {
    throw new ApiErrorsConfigError(
      'idempotency.methods',
      'must be HTTP method names',
      'Use e.g. ["POST", "PATCH"].',
    );
  }
  const reusedStatus = options?.reusedStatus ?? 422;
  if (reusedStatus !== 422 && reusedStatus !== 400) {
    throw new ApiErrorsConfigError(
      'idempotency.reusedStatus',
      `is ${String(reusedStatus)}`,
      'Use 422 or 400.',
    );
  }
  let redis: ResolvedIdempotencyOptions['redis'];
  if (options?.redis) {
    redis = Object.freeze({
      ...redisConnection('idempotency.redis', options.redis),
      prefix: options.redis.prefix ?? 'idem:',
      commandTimeoutMs: nonNegativeInteger(
        'idempotency.redis.commandTimeoutMs',
        options.redis.commandTimeoutMs,
        100,
      ),
    });
  }
  return Object.freeze({
    methods: Object.freeze(methods),
    required: options?.required ?? false,
    ttlMs: nonNegativeInteger('idempotency.ttlMs', options?.ttlMs, 86_400_000),
    lockTtlMs: nonNegativeInteger('idempotency.lockTtlMs', options?.lockTtlMs, 60_000),
    storeServerErrors: options?.storeServerErrors ?? false,
    reusedStatus,
    maxResponseBytes: nonNegativeInteger(
      'idempotency.maxResponseBytes',
      options?.maxResponseBytes,
      1_048_576,
    ),
    redis,
    store: options?.store,
  });
}

function resolveValidation(
  options: ApiValidationOptions | false | undefined,
): ResolvedValidationOptions {
  if (options === false)
    return Object.freeze({ enabled: false, status: 422, maxErrors: 100, pipeOptions: {} });
  const { status = 422, maxErrors = 100, ...pipeOptions } = options ?? {};
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new ApiErrorsConfigError(
      'validation.status',
      `is ${String(status)}`,
      'Use a 4xx status such as 422 or 400.',
    );
  }
  if (!Number.isInteger(maxErrors) || maxErrors < 1) {
    throw new ApiErrorsConfigError(
      'validation.maxErrors',
      `is ${String(maxErrors)}`,
      'Use a whole number, 1 or more.',
    );
  }
  return Object.freeze({
    enabled: true,
    status,
    maxErrors,
    pipeOptions: Object.freeze(pipeOptions),
  });
}

/**
 * Merges the defaults into the user's options, checks every value and freezes the result.
 * The one place where defaults live.
 */
export function resolveApiErrorsOptions(
  options: ApiErrorsModuleOptions = {},
): ResolvedApiErrorsOptions {
  const format = options.format ?? 'flat';
  if (typeof format !== 'function' && !(ERROR_FORMATS as readonly string[]).includes(format)) {
    throw new ApiErrorsConfigError(
      'format',
      `is "${String(format)}"`,
      `Use one of ${ERROR_FORMATS.join(', ')}, or a function.`,
    );
  }
  if (options.typeBaseUri !== undefined && !URL.canParse(options.typeBaseUri)) {
    throw new ApiErrorsConfigError(
      'typeBaseUri',
      'is not an absolute URI',
      'Use e.g. "https://api.example.com/errors/".',
    );
  }
  const requestIdHeader = options.requestIdHeader ?? 'X-Request-Id';
  if (!HEADER_NAME.test(requestIdHeader)) {
    throw new ApiErrorsConfigError(
      'requestIdHeader',
      'is not a valid header name',
      'Use e.g. "X-Request-Id".',
    );
  }
  const bodyContentTypes = options.bodyContentTypes ?? ['application/json'];
  if (
    bodyContentTypes !== false &&
    (!Array.isArray(bodyContentTypes) ||
      bodyContentTypes.some((t) => typeof t !== 'string' || !t.includes('/')))
  ) {
    throw new ApiErrorsConfigError(
      'bodyContentTypes',
      'must be a list of media types or false',
      'Use e.g. ["application/json"].',
    );
  }
  return Object.freeze({
    format,
    typeBaseUri: options.typeBaseUri,
    includeRequestId: options.includeRequestId ?? false,
    requestIdHeader,
    exposeInternalErrors: options.exposeInternalErrors ?? false,
    asyncContext: options.asyncContext ?? true,
    catalogue: resolveCatalogue(options.codes),
    bodyContentTypes:
      bodyContentTypes === false
        ? false
        : Object.freeze(bodyContentTypes.map((t) => t.toLowerCase())),
    maxBodyDepth: nonNegativeInteger('maxBodyDepth', options.maxBodyDepth, 128),
    apiKeys: resolveApiKeys(options.apiKeys),
    validation: resolveValidation(options.validation),
    entitlements: resolveEntitlements(options.entitlements),
    rateLimit: resolveRateLimit(options.rateLimit),
    idempotency: resolveIdempotency(options.idempotency),
    clock: options.clock ?? Date.now,
  });
}
