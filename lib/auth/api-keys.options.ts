import {
  ApiErrorsConfigError,
  booleanOption,
  headerNameOption,
  integerOption,
} from '../shared/option-checks.js';
import type { ApiKeyStore } from './api-key.store.js';
import type { AuthAuditSink } from './audit-log.js';

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
   * How long a lookup (found or not) is cached, in ms; 0 turns the cache off. Expiry and
   * revocation are still checked against the request time on every request.
   * @default 10000
   */
  cacheTtlMs?: number;
  /**
   * How many lookups the cache holds at most; 0 turns the cache off.
   * @default 10000
   */
  cacheSize?: number;
  /**
   * Deprecated: use the top-level `trustedProxies`, which rate limits and idempotency read too.
   * Still accepted when that one is absent, with a warning at start.
   * @deprecated
   */
  trustedProxies?: readonly string[];
  /**
   * Failed authentications allowed per client IP per minute before 429; 0 turns the limiter
   * off.
   * @default 100
   */
  failuresPerMinute?: number;
  /**
   * Receives every authentication event, after the response is decided; errors are logged.
   * @default undefined
   */
  auditSink?: AuthAuditSink;
  /**
   * Events kept in memory per key for `ApiKeyService.auditEvents()`; 0 keeps none.
   * @default 100
   */
  auditEventsPerKey?: number;
  /**
   * Events kept in memory in all, whatever the number of keys, the oldest going first; 0 keeps
   * none.
   * @default 10000
   */
  auditMaxEvents?: number;
}

/** `apiKeys` after defaults were merged; frozen. */
export interface ResolvedApiKeysOptions {
  readonly store: ApiKeyStore;
  readonly header: string;
  readonly bearer: boolean;
  readonly cacheTtlMs: number;
  readonly cacheSize: number;
  readonly failuresPerMinute: number;
  readonly auditSink: AuthAuditSink | undefined;
  readonly auditEventsPerKey: number;
  readonly auditMaxEvents: number;
}

/** Injection token of {@link ResolvedApiKeysOptions}, or undefined without `apiKeys`. */
export const API_KEYS_OPTIONS = Symbol('nest-api-errors:api-keys-options');

export const API_KEYS_DEFAULTS = Object.freeze({
  header: 'X-API-Key',
  bearer: false,
  cacheTtlMs: 10_000,
  cacheSize: 10_000,
  failuresPerMinute: 100,
  auditEventsPerKey: 100,
  auditMaxEvents: 10_000,
});

/** Checks and freezes `apiKeys`; undefined (no authentication) when it is absent. */
export function resolveApiKeysOptions(
  options: ApiKeysOptions | undefined,
): ResolvedApiKeysOptions | undefined {
  if (options === undefined) return undefined;
  const d = API_KEYS_DEFAULTS;
  const store = options.store;
  if (!store || typeof store.findByDigest !== 'function' || typeof store.findById !== 'function') {
    throw new ApiErrorsConfigError(
      'apiKeys.store',
      'is not an ApiKeyStore',
      'Use loadApiKeysFile(path), new InMemoryApiKeyStore(records) or your own store.',
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
    header: headerNameOption('apiKeys.header', options.header, d.header),
    bearer: booleanOption('apiKeys.bearer', options.bearer, d.bearer),
    cacheTtlMs: integerOption('apiKeys.cacheTtlMs', options.cacheTtlMs, d.cacheTtlMs),
    cacheSize: integerOption('apiKeys.cacheSize', options.cacheSize, d.cacheSize),
    failuresPerMinute: integerOption(
      'apiKeys.failuresPerMinute',
      options.failuresPerMinute,
      d.failuresPerMinute,
    ),
    auditSink: options.auditSink,
    auditEventsPerKey: integerOption(
      'apiKeys.auditEventsPerKey',
      options.auditEventsPerKey,
      d.auditEventsPerKey,
    ),
    auditMaxEvents: integerOption(
      'apiKeys.auditMaxEvents',
      options.auditMaxEvents,
      d.auditMaxEvents,
    ),
  });
}
