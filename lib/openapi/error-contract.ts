import type { INestApplicationContext, PipeTransform } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer, Reflector } from '@nestjs/core';
import { API_KEYS_OPTIONS, type ResolvedApiKeysOptions } from '../auth/api-keys.options.js';
import {
  ENTITLEMENTS_OPTIONS,
  type ResolvedEntitlementsOptions,
} from '../entitlements/entitlements.options.js';
import {
  ERROR_RESPONSE_OPTIONS,
  type ResolvedErrorResponseOptions,
} from '../filter/error-response.options.js';
import { normaliseException } from '../filter/normalise-exception.js';
import { renderError, type RenderedError } from '../filter/render-error.js';
import { nestedCode } from '../formats/nested.format.js';
import { problemTypeName } from '../formats/problem.format.js';
import {
  IDEMPOTENCY_OPTIONS,
  type ResolvedIdempotencyOptions,
} from '../idempotency/idempotency.options.js';
import { RATE_LIMIT_STORE } from '../rate-limit/rate-limit-store.provider.js';
import {
  RATE_LIMIT_OPTIONS,
  type ResolvedRateLimitOptions,
} from '../rate-limit/rate-limit.options.js';
import type { RateLimitStore } from '../rate-limit/rate-limit.types.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { VALIDATION_PIPE } from '../validation/validation-pipe.provider.js';
import {
  VALIDATION_OPTIONS,
  type ResolvedValidationOptions,
} from '../validation/validation.options.js';

/**
 * Everything an app's error contract depends on, read from the app itself: each part's
 * resolved options (the very objects its guards, pipe and filter were given), the validation
 * pipe, the rate-limit store and the platform.
 */
export interface ErrorContract {
  readonly errorResponse: ResolvedErrorResponseOptions;
  readonly requestContext: ResolvedRequestContextOptions;
  readonly validation: ResolvedValidationOptions;
  /** Undefined without `apiKeys`: no route asks for a key. */
  readonly apiKeys: ResolvedApiKeysOptions | undefined;
  readonly entitlements: ResolvedEntitlementsOptions;
  /** Undefined without `rateLimit`: no route is limited. */
  readonly rateLimit: ResolvedRateLimitOptions | undefined;
  readonly idempotency: ResolvedIdempotencyOptions;
  /** The global validation pipe, which decides which arguments are validated. */
  readonly pipe: PipeTransform;
  /**
   * The rate-limit store can read counters without counting, so that a refusal after
   * authentication (a 403) still carries the route's X-RateLimit-* headers.
   */
  readonly limitsOnRefusals: boolean;
  /** `express` or `fastify` (the HTTP adapter's type). */
  readonly platform: string;
  readonly reflector: Reflector;
}

/**
 * What the exception filter sends for `thrown`: normalised, then rendered in the app's format,
 * with `requestId`.
 */
export function renderThrown(
  thrown: unknown,
  contract: ErrorContract,
  requestId: string,
): RenderedError {
  const options = contract.errorResponse;
  return renderError(
    normaliseException(thrown, options),
    requestId,
    options,
    contract.requestContext.requestIdHeader,
  );
}

/** A code as the app's format spells it in its bodies (laravel and custom ones: the code). */
export function codeAsSent(code: string, contract: ErrorContract): string {
  switch (contract.errorResponse.format) {
    case 'nested':
      return nestedCode(code);
    case 'problem':
      return problemTypeName(code);
    default:
      return code;
  }
}

/** Reads the app's error contract; fails with a message naming the fix without the module. */
export function errorContractOf(app: INestApplicationContext): ErrorContract {
  // Asked first: an unknown token would make app.get end the process (abortOnError).
  const modules = app.get(ModulesContainer, { strict: false });
  if (![...modules.values()].some((module) => module.providers.has(ERROR_RESPONSE_OPTIONS))) {
    throw new Error(
      'nest-api-errors: this app does not import ApiErrorsModule, so it has no error contract ' +
        'to document. Import ApiErrorsModule.forRoot() in the app module.',
    );
  }
  const get = <T>(token: symbol | (abstract new (...args: never[]) => T)): T =>
    app.get<T>(token as symbol, { strict: false });
  const store = get<RateLimitStore>(RATE_LIMIT_STORE);
  const rateLimit = get<ResolvedRateLimitOptions | undefined>(RATE_LIMIT_OPTIONS);
  return {
    errorResponse: get(ERROR_RESPONSE_OPTIONS),
    requestContext: get(REQUEST_CONTEXT_OPTIONS),
    validation: get(VALIDATION_OPTIONS),
    apiKeys: get(API_KEYS_OPTIONS),
    entitlements: get(ENTITLEMENTS_OPTIONS),
    rateLimit,
    idempotency: get(IDEMPOTENCY_OPTIONS),
    pipe: get(VALIDATION_PIPE),
    limitsOnRefusals: rateLimit !== undefined && typeof store.peek === 'function',
    platform: get(HttpAdapterHost).httpAdapter?.getType() ?? 'express',
    reflector: get(Reflector),
  };
}
