import {
  Inject,
  Module,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import { API_ERRORS_OPTIONS } from './api-errors.constants.js';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } from './api-errors.module-definition.js';
import {
  resolveApiErrorsOptions,
  type ApiErrorsModuleOptions,
  type ResolvedApiErrorsOptions,
} from './api-errors.options.js';
import { addFastifyRequestHook } from './platform/platform.js';
import { answerClientErrors } from './platform/client-error-listener.js';
import { clientErrorReply, frameworkErrorReply } from './filter/client-error-reply.js';
import { answerFastifyFrameworkErrors } from './platform/fastify-framework-errors.js';
import { requestContextOf } from './request-id/request-context.store.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { EntitlementsBootstrapCheck } from './entitlements/entitlements.bootstrap-check.js';
import { FeatureGuard } from './entitlements/feature.guard.js';
import { ApiErrorsFilter } from './filter/api-errors.filter.js';
import { IdempotencyGuard } from './idempotency/idempotency.guard.js';
import {
  IdempotencyStoreHolder,
  idempotencyStoreProvider,
} from './idempotency/idempotency-store.provider.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import {
  RateLimitStoreHolder,
  rateLimitStoreProvider,
} from './rate-limit/rate-limit-store.provider.js';
import { RequestContextMiddleware, startRequest } from './request-id/request-context.middleware.js';
import { BodyDepthGuard } from './validation/body-depth.guard.js';
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
  { provide: APP_GUARD, useClass: BodyDepthGuard },
  // Last: a request rejected by any guard above never claims an Idempotency-Key. No global
  // interceptors at all, so that Nest skips its interceptor pipeline on every route.
  { provide: APP_GUARD, useClass: IdempotencyGuard },
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
  constructor(
    @Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    // Requests Node turns away before any middleware (unparsable, oversized headers, timed
    // out) are answered in the configured format too.
    const server: unknown = adapter?.getHttpServer();
    if (server instanceof EventEmitter) {
      answerClientErrors(server, (code) => clientErrorReply(code, this.options));
    }
    if (adapter !== undefined) {
      answerFastifyFrameworkErrors(
        adapter,
        (request) => requestContextOf(request) !== undefined,
        (status, request) => frameworkErrorReply(status, request, this.options),
      );
    }
    const hooked =
      adapter !== undefined &&
      addFastifyRequestHook(adapter, (request, response, next) =>
        startRequest(this.options, request, response, next),
      );
    if (!hooked) consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}
