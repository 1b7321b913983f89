import {
  Inject,
  Module,
  type DynamicModule,
  type CanActivate,
  type MiddlewareConsumer,
  type NestModule,
  type PipeTransform,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  type ApiErrorsForRootOptions,
} from './api-errors.module-definition.js';
import {
  resolveApiErrorsOptions,
  type ApiErrorsModuleOptions,
  type ResolvedApiErrorsOptions,
} from './api-errors.options.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { API_KEYS_OPTIONS } from './auth/api-keys.options.js';
import { EntitlementsBootstrapCheck } from './entitlements/entitlements.bootstrap-check.js';
import { ENTITLEMENTS_OPTIONS } from './entitlements/entitlements.options.js';
import { FeatureGuard } from './entitlements/feature.guard.js';
import { ApiErrorsFilter } from './filter/api-errors.filter.js';
import { clientErrorReply, frameworkErrorReply } from './filter/client-error-reply.js';
import {
  ERROR_RESPONSE_OPTIONS,
  type ResolvedErrorResponseOptions,
} from './filter/error-response.options.js';
import { IdempotencyGuard } from './idempotency/idempotency.guard.js';
import { IDEMPOTENCY_OPTIONS } from './idempotency/idempotency.options.js';
import { idempotencyStoreProvider } from './idempotency/idempotency-store.provider.js';
import { answerClientErrors } from './platform/client-error-listener.js';
import { answerFastifyFrameworkErrors } from './platform/fastify-framework-errors.js';
import { addFastifyRequestHook } from './platform/platform.js';
import { describeLimitsOnDenial } from './rate-limit/limits-on-denial.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { RATE_LIMIT_OPTIONS } from './rate-limit/rate-limit.options.js';
import { rateLimitStoreProvider } from './rate-limit/rate-limit-store.provider.js';
import { RedisConnections } from './redis/redis-client.js';
import {
  RequestContextMiddleware,
  startRequest,
} from './request-context/request-context.middleware.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from './request-context/request-context.options.js';
import { requestContextOf } from './request-context/request-context.store.js';
import { BodyDepthGuard } from './validation/body-depth.guard.js';
import { PrecognitionGuard, PrecognitionHeadersGuard } from './validation/precognition.guard.js';
import { UnvalidatedClassesCheck } from './validation/unvalidated-classes.check.js';
import { VALIDATION_OPTIONS } from './validation/validation.options.js';
import {
  globalValidationPipeProvider,
  VALIDATION_PIPE,
  validationPipeProvider,
} from './validation/validation-pipe.provider.js';

/** Every part's options, resolved once; internal, handed out only as slices. */
const RESOLVED_OPTIONS = Symbol('nest-api-errors:resolved-options');

type Slices = ResolvedApiErrorsOptions;

/** One provider per part's options: a guard or store injects its own slice, nothing more. */
function slice(token: symbol, pick: (options: Slices) => unknown): Provider {
  return { provide: token, useFactory: pick, inject: [RESOLVED_OPTIONS] };
}

/** Guards of a part that is off: admit everything (the part has nothing to check). */
const ADMIT: CanActivate = { canActivate: () => true };

/** Laravel Precognition is answered with the `laravel` format, unless turned off. */
function answersPrecognition(options: Slices): boolean {
  return options.validation.precognition && options.errorResponse.format === 'laravel';
}

/** The rate-limit guard (the app's subclass or the library's), when rate limits are on. */
const RATE_LIMITER = Symbol('nest-api-errors:rate-limiter');

/**
 * A global guard that runs before rate limiting: the app's subclass or the library's class,
 * created with the module's providers, its refusals describing the route's limits; the
 * admitting no-op when its part is off.
 */
function guard(
  enabled: (options: Slices) => boolean,
  chosen: (options: Slices) => Type<CanActivate> | undefined,
  base: Type<CanActivate>,
): Provider {
  return {
    provide: APP_GUARD,
    useFactory: async (options: Slices, ref: ModuleRef, limiter: RateLimitGuard | undefined) => {
      if (!enabled(options)) return ADMIT;
      const created = await ref.create(chosen(options) ?? base);
      return limiter ? describeLimitsOnDenial(created, limiter) : created;
    },
    inject: [RESOLVED_OPTIONS, ModuleRef, RATE_LIMITER],
  };
}

const providers: Provider[] = [
  {
    provide: RESOLVED_OPTIONS,
    useFactory: (options: ApiErrorsModuleOptions) => resolveApiErrorsOptions(options),
    inject: [MODULE_OPTIONS_TOKEN],
  },
  slice(ERROR_RESPONSE_OPTIONS, (o) => o.errorResponse),
  slice(REQUEST_CONTEXT_OPTIONS, (o) => o.requestContext),
  slice(VALIDATION_OPTIONS, (o) => o.validation),
  slice(API_KEYS_OPTIONS, (o) => o.apiKeys),
  slice(ENTITLEMENTS_OPTIONS, (o) => o.entitlements),
  slice(RATE_LIMIT_OPTIONS, (o) => o.rateLimit),
  slice(IDEMPOTENCY_OPTIONS, (o) => o.idempotency),
  { provide: APP_FILTER, useClass: ApiErrorsFilter },
  ApiKeyService,
  EntitlementsBootstrapCheck,
  UnvalidatedClassesCheck,
  RedisConnections,
  rateLimitStoreProvider,
  idempotencyStoreProvider,
  // First, with format 'laravel': marks the responses to Precognition requests, the refusals of
  // the guards below included, as the laravel-precognition client requires of every answer.
  {
    provide: APP_GUARD,
    useFactory: (o: Slices) => (answersPrecognition(o) ? new PrecognitionHeadersGuard() : ADMIT),
    inject: [RESOLVED_OPTIONS],
  },
  // Global guards run in this order: authentication first, so nothing after it sees an
  // unauthenticated request; then features, so that a 403 consumes no rate-limit quota (it
  // still carries the route's rate-limit headers, read without counting).
  guard(
    (o) => o.apiKeys !== undefined,
    (o) => o.guards.apiKey,
    ApiKeyGuard,
  ),
  guard(
    () => true,
    (o) => o.guards.feature,
    FeatureGuard,
  ),
  {
    provide: RATE_LIMITER,
    useFactory: (options: Slices, ref: ModuleRef) =>
      options.rateLimit === undefined
        ? undefined
        : ref.create<RateLimitGuard>(options.guards.rateLimit ?? RateLimitGuard),
    inject: [RESOLVED_OPTIONS, ModuleRef],
  },
  {
    provide: APP_GUARD,
    useFactory: (limiter: RateLimitGuard | undefined) => limiter ?? ADMIT,
    inject: [RATE_LIMITER],
  },
  { provide: APP_GUARD, useClass: BodyDepthGuard },
  // A precognitive request is refused and counted by every guard above, then validated and
  // answered without running the handler, before it could claim an Idempotency-Key.
  {
    provide: APP_GUARD,
    useFactory: (o: Slices, pipe: PipeTransform) =>
      answersPrecognition(o) ? new PrecognitionGuard(pipe, o.requestContext) : ADMIT,
    inject: [RESOLVED_OPTIONS, VALIDATION_PIPE],
  },
  // Last: a request rejected by any guard above never claims an Idempotency-Key. No global
  // interceptors at all, so that Nest skips its interceptor pipeline on every route.
  { provide: APP_GUARD, useClass: IdempotencyGuard },
  validationPipeProvider,
  globalValidationPipeProvider,
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
@Module({ imports: [DiscoveryModule], providers, exports: [ApiKeyService] })
export class ApiErrorsModule extends ConfigurableModuleClass implements NestModule {
  /**
   * The module with `options`; every part keeps its defaults when called without any.
   *
   * @example
   * ApiErrorsModule.forRoot()
   * ApiErrorsModule.forRoot({ format: 'problem', typeBaseUri: 'https://api.example.com/errors/' })
   */
  static override forRoot(options: ApiErrorsForRootOptions = {}): DynamicModule {
    return super.forRoot(options);
  }

  constructor(
    @Inject(REQUEST_CONTEXT_OPTIONS) private readonly options: ResolvedRequestContextOptions,
    @Inject(ERROR_RESPONSE_OPTIONS) private readonly errorOptions: ResolvedErrorResponseOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    const header = this.options.requestIdHeader;
    // Requests Node turns away before any middleware (unparsable, oversized headers, timed
    // out) are answered in the configured format too.
    const server: unknown = adapter?.getHttpServer();
    if (server instanceof EventEmitter) {
      answerClientErrors(server, (code) => clientErrorReply(code, this.errorOptions, header));
    }
    if (adapter !== undefined) {
      answerFastifyFrameworkErrors(
        adapter,
        (request) => requestContextOf(request) !== undefined,
        (status, request) => frameworkErrorReply(status, request, this.errorOptions, header),
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
