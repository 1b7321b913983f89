// The public API of nest-api-errors. Nothing else under lib/ is part of it.
export { ApiErrorsModule } from './api-errors.module.js';
export type {
  ApiErrorsAsyncOptions,
  ApiErrorsForRootOptions,
  ApiErrorsOptionsFactory,
} from './api-errors.module-definition.js';
export type { ApiErrorsGuardClasses, ApiErrorsModuleOptions } from './api-errors.options.js';
export { ApiErrorsConfigError } from './shared/option-checks.js';
export type { MaybePromise } from './shared/maybe-async.js';
export type {
  ErrorCodeInput,
  ErrorResponseModuleOptions,
} from './filter/error-response.options.js';
export type {
  ContextPolicy,
  NonHttpContextType,
  RequestContextModuleOptions,
} from './request-context/request-context.options.js';
export type { RedisConnectionInput } from './redis/redis.options.js';

export {
  BUILT_IN_ERROR_CODES,
  ERROR_CATALOGUE,
  type ApiErrorCodeRegistry,
  type BuiltInErrorCode,
  type ErrorCode,
  type ErrorCodeDefinition,
} from './errors/error-catalogue.js';
export type { CanonicalError, FieldError } from './errors/api-error.js';
export {
  ApiException,
  ApiValidationException,
  BadRequestApiException,
  ConflictApiException,
  ForbiddenApiException,
  NotFoundApiException,
  ServiceUnavailableApiException,
  type ApiExceptionExtras,
} from './errors/api.exception.js';

export { ERROR_FORMATS, type ErrorFormatName } from './formats/index.js';
export type {
  CustomErrorFormat,
  CustomFormatResult,
  ErrorFormatContext,
} from './formats/error-format.js';

export { ApiErrorsFilter, type RpcErrorPayload } from './filter/api-errors.filter.js';
export { getRequestId, type ApiPrincipal } from './request-context/request-context.js';
export { RequestId } from './request-context/request-id.decorator.js';
export { Principal, getPrincipal } from './request-context/principal.js';
export { IpAllowlist } from './request-context/ip-allowlist.js';

export { ApiKeyGuard } from './auth/api-key.guard.js';
export type { ApiKeysOptions } from './auth/api-keys.options.js';
export { ApiKeyService, MAX_API_KEY_BYTES } from './auth/api-key.service.js';
export { InMemoryApiKeyStore, type ApiKeyStore } from './auth/api-key.store.js';
export { ApiKeysFileError, loadApiKeysFile, parseApiKeyEntry } from './auth/api-key-file.loader.js';
export { digestApiKey, generateApiKey } from './auth/api-key.digest.js';
export { InMemoryAuditLog, type AuthAuditSink } from './auth/audit-log.js';
export { Public, RequireScopes, Tenant, type TenantSource } from './auth/auth.decorators.js';
export type { ApiKeyRecord, AuthAuditEvent, AuthOutcome } from './auth/api-key.types.js';

export { ApiValidationPipe } from './validation/api-validation.pipe.js';
export { StandardSchemaPipe, type StandardSchemaLike } from './validation/schema-validation.js';
export type {
  ApiValidationOptions,
  ValidationModuleOptions,
} from './validation/validation.options.js';
export { BodyDepthGuard } from './validation/body-depth.guard.js';
export {
  flattenValidationErrors,
  messageWithPath,
  type ValidationErrorLike,
} from './validation/flatten-validation-errors.js';

export { FeatureGuard, type FeatureDenial } from './entitlements/feature.guard.js';
export type { EntitlementsOptions } from './entitlements/entitlements.options.js';
export { RequireFeature } from './entitlements/require-feature.decorator.js';
export { decideFeature, type FeaturePlan } from './entitlements/feature-decision.js';
export { PrincipalEntitlementsResolver } from './entitlements/principal-entitlements.resolver.js';
export type {
  Entitlements,
  EntitlementsResolver,
  FeatureDecision,
} from './entitlements/entitlements.types.js';

export { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
export type { RateLimitOptions, RedisRateLimitOptions } from './rate-limit/rate-limit.options.js';
export { RateLimit, SkipRateLimit } from './rate-limit/rate-limit.decorators.js';
export { MemoryRateLimitStore } from './rate-limit/memory-rate-limit.store.js';
export {
  RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from './rate-limit/redis-rate-limit.store.js';
export type {
  ConsumeResult,
  RateLimitScope,
  RateLimitStore,
  RateLimitWindow,
  RouteWindow,
  WindowCheck,
  WindowState,
} from './rate-limit/rate-limit.types.js';

export { Idempotent, type IdempotentOptions } from './idempotency/idempotent.decorator.js';
export { IdempotencyGuard } from './idempotency/idempotency.guard.js';
export type { IdempotencyOptions } from './idempotency/idempotency.options.js';
export { MemoryIdempotencyStore } from './idempotency/memory-idempotency.store.js';
export { RedisIdempotencyStore } from './idempotency/redis-idempotency.store.js';
export { parseIdempotencyKey, requestFingerprint } from './idempotency/idempotency-key.js';
export type {
  ClaimResult,
  IdempotencyStore,
  StoredResponse,
} from './idempotency/idempotency.types.js';

export { addErrorResponses, type OpenApiDocumentInput } from './openapi/error-responses.openapi.js';
export { ApiErrorResponse } from './openapi/api-error-response.decorator.js';
export type {
  ErrorBodySchema,
  ErrorDocumentOptions,
  ErrorsPageOptions,
} from './openapi/openapi.options.js';
export { renderErrorsPage } from './openapi/errors-page.js';
