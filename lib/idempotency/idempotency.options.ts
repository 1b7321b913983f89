import {
  resolveRedisConnection,
  type RedisConnectionInput,
  type ResolvedRedisConnection,
} from '../redis/redis.options.js';
import {
  ApiErrorsConfigError,
  booleanOption,
  implementsOption,
  integerOption,
} from '../shared/option-checks.js';
import type { IdempotencyStore } from './idempotency.types.js';

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
   * How long a completed response is kept for replay, in ms; at least 1.
   * @default 86_400_000 (24 h)
   */
  ttlMs?: number;
  /**
   * How long a claim holds while its handler runs, in ms; a crashed handler's lock expires
   * after it. At least 1.
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
   * Larger responses are not stored (the key is released), in bytes; at least 1.
   * @default 1_048_576
   */
  maxResponseBytes?: number;
  /**
   * Records in Redis, shared by every instance (`prefix` defaults to `'idem:'`).
   * @default undefined (in memory)
   */
  redis?: RedisConnectionInput;
  /** Your own store; overrides `redis`. */
  store?: IdempotencyStore;
}

/** `idempotency` after defaults were merged; frozen. */
export interface ResolvedIdempotencyOptions {
  readonly methods: readonly string[];
  readonly required: boolean;
  readonly ttlMs: number;
  readonly lockTtlMs: number;
  readonly storeServerErrors: boolean;
  readonly reusedStatus: 422 | 400;
  readonly maxResponseBytes: number;
  readonly redis: ResolvedRedisConnection | undefined;
  readonly store: IdempotencyStore | undefined;
}

/** Injection token of {@link ResolvedIdempotencyOptions}. */
export const IDEMPOTENCY_OPTIONS = Symbol('nest-api-errors:idempotency-options');

export const IDEMPOTENCY_DEFAULTS = Object.freeze({
  methods: Object.freeze([]) as readonly string[],
  required: false,
  ttlMs: 86_400_000,
  lockTtlMs: 60_000,
  storeServerErrors: false,
  reusedStatus: 422 as const,
  maxResponseBytes: 1_048_576,
  prefix: 'idem:',
});

/** Checks and freezes `idempotency`. */
export function resolveIdempotencyOptions(
  options: IdempotencyOptions | undefined,
): ResolvedIdempotencyOptions {
  const d = IDEMPOTENCY_DEFAULTS;
  const given = options?.methods ?? d.methods;
  if (!Array.isArray(given)) {
    throw new ApiErrorsConfigError('idempotency.methods', 'is not a list', 'Use e.g. ["POST"].');
  }
  const methods = given.map((m) => String(m).toUpperCase());
  if (methods.some((m) => !/^[A-Z]+$/.test(m))) {
    throw new ApiErrorsConfigError(
      'idempotency.methods',
      'must be HTTP method names',
      'Use e.g. ["POST", "PATCH"].',
    );
  }
  const reusedStatus = options?.reusedStatus ?? d.reusedStatus;
  if (reusedStatus !== 422 && reusedStatus !== 400) {
    throw new ApiErrorsConfigError(
      'idempotency.reusedStatus',
      `is ${String(reusedStatus)}`,
      'Use 422 or 400.',
    );
  }
  const store =
    options?.store === undefined
      ? undefined
      : implementsOption(
          'idempotency.store',
          options.store,
          ['claim', 'complete', 'release'],
          'Implement IdempotencyStore.',
        );
  return Object.freeze({
    methods: Object.freeze(methods),
    required: booleanOption('idempotency.required', options?.required, d.required),
    ttlMs: integerOption('idempotency.ttlMs', options?.ttlMs, d.ttlMs, 1),
    lockTtlMs: integerOption('idempotency.lockTtlMs', options?.lockTtlMs, d.lockTtlMs, 1),
    storeServerErrors: booleanOption(
      'idempotency.storeServerErrors',
      options?.storeServerErrors,
      d.storeServerErrors,
    ),
    reusedStatus,
    maxResponseBytes: integerOption(
      'idempotency.maxResponseBytes',
      options?.maxResponseBytes,
      d.maxResponseBytes,
      1,
    ),
    redis: options?.redis
      ? Object.freeze(resolveRedisConnection('idempotency.redis', options.redis, d.prefix))
      : undefined,
    store,
  });
}
