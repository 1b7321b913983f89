import { Module, type MiddlewareConsumer, type NestModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { API_ERRORS_OPTIONS } from './api-errors.constants.js';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } from './api-errors.module-definition.js';
import { resolveApiErrorsOptions, type ApiErrorsModuleOptions } from './api-errors.options.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { EntitlementsBootstrapCheck } from './entitlements/entitlements.bootstrap-check.js';
import { FeatureGuard } from './entitlements/feature.guard.js';
import { ApiErrorsFilter } from './filter/api-errors.filter.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import {
  IdempotencyStoreHolder,
  idempotencyStoreProvider,
} from './idempotency/idempotency-store.provider.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import {
  RateLimitStoreHolder,
  rateLimitStoreProvider,
} from './rate-limit/rate-limit-store.provider.js';
import { RequestContextMiddleware } from './request-id/request-context.middleware.js';
import { BodyDepthInterceptor } from './validation/body-depth.interceptor.js';
import { validationPipeProvider } from './validation/validation-pipe.provider.js';

const providers: Provider[] = [
  {
    provide: API_ERRORS_OPTIONS,
    useFactory: (options: ApiErrorsModuleOptions) => resolveApiErrorsOptions(options),
    inject: [MODULE_OPTIONS_TOKEN],
  },
  { provide: APP_FILTER, useClass: ApiErrorsFilter },
  ApiKeyService,
  EntitlementsBootstrapCheck,
  // Global guards run in this order: authentication first, so nothing after it sees an
  // unauthenticated request; then features, so that a 403 consumes no rate-limit quota.
  { provide: APP_GUARD, useClass: ApiKeyGuard },
  { provide: APP_GUARD, useClass: FeatureGuard },
  RateLimitStoreHolder,
  rateLimitStoreProvider,
  { provide: APP_GUARD, useClass: RateLimitGuard },
  IdempotencyStoreHolder,
  idempotencyStoreProvider,
  { provide: APP_INTERCEPTOR, useClass: BodyDepthInterceptor },
  // After every guard: a rejected request never claims an Idempotency-Key.
  { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  validationPipeProvider,
];

/**
 * One import gives an app the whole error contract: the global exception filter, request ids,
 * the body media-type check, the validation pipe, Idempotency-Key handling and, as configured,
 * the API-key, feature and rate-limit guards. Options are validated when
 * the app starts.
 *
 * @example
 * @Module({ imports: [ApiErrorsModule.forRoot({ format: 'problem' })] })
 * export class AppModule {}
 */
@Module({ imports: [DiscoveryModule], providers, exports: [API_ERRORS_OPTIONS, ApiKeyService] })
export class ApiErrorsModule extends ConfigurableModuleClass implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}
