import type { Type } from '@nestjs/common';
import { resolveApiKeysOptions, type ApiKeysOptions } from './auth/api-keys.options.js';
import type { ApiKeyGuard } from './auth/api-key.guard.js';
import {
  resolveEntitlementsOptions,
  type EntitlementsOptions,
} from './entitlements/entitlements.options.js';
import type { FeatureGuard } from './entitlements/feature.guard.js';
import {
  resolveErrorResponseOptions,
  type ErrorResponseModuleOptions,
} from './filter/error-response.options.js';
import {
  resolveIdempotencyOptions,
  type IdempotencyOptions,
} from './idempotency/idempotency.options.js';
import { resolveRateLimitOptions, type RateLimitOptions } from './rate-limit/rate-limit.options.js';
import type { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import {
  resolveRequestContextOptions,
  type RequestContextModuleOptions,
} from './request-context/request-context.options.js';
import { ApiErrorsConfigError } from './shared/option-checks.js';
import {
  resolveValidationOptions,
  type ValidationModuleOptions,
} from './validation/validation.options.js';

/**
 * Your subclasses of the library's guards, installed in their place (same order, same
 * options). Each overrides the `protected` hooks it needs; see each guard's docs.
 */
export interface ApiErrorsGuardClasses {
  /** A subclass of {@link ApiKeyGuard}. @default ApiKeyGuard */
  apiKey?: Type<ApiKeyGuard>;
  /** A subclass of {@link FeatureGuard}. @default FeatureGuard */
  feature?: Type<FeatureGuard>;
  /** A subclass of {@link RateLimitGuard}. @default RateLimitGuard */
  rateLimit?: Type<RateLimitGuard>;
}

/**
 * Options of {@link ApiErrorsModule.forRoot}. Every member is optional; each part documents
 * its own (errors: {@link ErrorResponseModuleOptions}, every request:
 * {@link RequestContextModuleOptions}, validation: {@link ValidationModuleOptions}).
 */
export interface ApiErrorsModuleOptions
  extends ErrorResponseModuleOptions, RequestContextModuleOptions, ValidationModuleOptions {
  /**
   * API-key authentication for every route not marked `@Public()`.
   * @default undefined (no authentication)
   */
  apiKeys?: ApiKeysOptions;
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
   * Subclasses of the guards to install instead of the library's own.
   * @default {}
   */
  guards?: ApiErrorsGuardClasses;
}

/** Every part's options after defaults were merged and checked: one slice per part. */
export type ResolvedApiErrorsOptions = ReturnType<typeof resolveApiErrorsOptions>;

function guardClass<T>(name: string, value: Type<T> | undefined): Type<T> | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new ApiErrorsConfigError(`guards.${name}`, 'is not a class', 'Pass a guard subclass.');
  }
  return value;
}

/** Checks every part's options, each with its own resolver; the module hands out the slices. */
export function resolveApiErrorsOptions(options: ApiErrorsModuleOptions = {}) {
  if (options.guards?.apiKey && !options.apiKeys) {
    throw new ApiErrorsConfigError('guards.apiKey', 'is set without apiKeys', 'Configure apiKeys.');
  }
  if (options.guards?.rateLimit && !options.rateLimit) {
    throw new ApiErrorsConfigError(
      'guards.rateLimit',
      'is set without rateLimit',
      'Configure rateLimit.',
    );
  }
  const validation = resolveValidationOptions(options);
  return Object.freeze({
    errorResponse: resolveErrorResponseOptions(options, validation),
    requestContext: resolveRequestContextOptions(options, options.apiKeys?.trustedProxies),
    validation,
    apiKeys: resolveApiKeysOptions(options.apiKeys),
    entitlements: resolveEntitlementsOptions(options.entitlements),
    rateLimit: resolveRateLimitOptions(options.rateLimit),
    idempotency: resolveIdempotencyOptions(options.idempotency),
    guards: Object.freeze({
      apiKey: guardClass('apiKey', options.guards?.apiKey),
      feature: guardClass('feature', options.guards?.feature),
      rateLimit: guardClass('rateLimit', options.guards?.rateLimit),
    }),
  });
}
