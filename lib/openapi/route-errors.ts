import {
  HttpException,
  ValidationPipe,
  type ArgumentMetadata,
  type ExecutionContext,
  type PipeTransform,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { IncomingMessage } from 'node:http';
import {
  failedAuthenticationsError,
  missingScopeError,
  missingTenantError,
  otherTenantError,
  unauthorizedError,
  unauthorizedHeaders,
} from '../auth/auth.errors.js';
import { routeAuthOf, type RouteAuth } from '../auth/route-auth.js';
import { featureNotEntitledError } from '../entitlements/entitlements.errors.js';
import { decideFeature } from '../entitlements/feature-decision.js';
import type { FeatureDenial } from '../entitlements/feature.guard.js';
import { requiredFeaturesOf } from '../entitlements/require-feature.decorator.js';
import { ApiException } from '../errors/api.exception.js';
import { frameworkErrorReply } from '../filter/client-error-reply.js';
import type { RenderedError } from '../filter/render-error.js';
import { idempotentOptionsOf } from '../idempotency/idempotent.decorator.js';
import {
  idempotencyKeyInUseError,
  idempotencyKeyRequiredError,
  idempotencyKeyReusedError,
  malformedIdempotencyKeyError,
} from '../idempotency/idempotency.errors.js';
import { rateLimitExceededError } from '../rate-limit/rate-limit.errors.js';
import type { RouteWindow } from '../rate-limit/rate-limit.types.js';
import { routeLimitsOf } from '../rate-limit/route-limits.js';
import { bodyRejection } from '../request-context/body-content-type.js';
import { storeUnavailableError } from '../shared/outage-log.js';
import { BodyDepthGuard } from '../validation/body-depth.guard.js';
import { flattenValidationErrors } from '../validation/flatten-validation-errors.js';
import { routeArguments, type RouteArgument } from '../validation/route-arguments.js';
import { StandardSchemaPipe, validatesParameter } from '../validation/schema-validation.js';
import { declaredErrorsOf } from './api-error-response.decorator.js';
import type { AppRoute } from './app-routes.js';
import { renderThrown, type ErrorContract } from './error-contract.js';

/** One error a route can answer, rendered exactly as the exception filter sends it. */
export interface ErrorVariant {
  /**
   * Unique within the route: the code, or `code.cause` where one code has several causes
   * (`bad_request.invalid_json`, `forbidden.scopes`).
   */
  readonly key: string;
  /** When it happens, in a sentence. */
  readonly summary: string;
  /** Status, headers and body, from the library's own renderer. */
  readonly reply: RenderedError;
  /** Also carries the route's X-RateLimit-* (and IETF) headers. */
  readonly withLimits: boolean;
  /** A stored answer may be replayed with `Idempotent-Replayed: true`. */
  readonly replayable: boolean;
}

/** What the library knows of one route: read from the metadata its guards and pipe read. */
export interface RouteFacts {
  readonly method: string;
  readonly auth: RouteAuth;
  /** A principal is present from authentication on: `apiKeys` is set and the route is not public. */
  readonly authenticated: boolean;
  readonly features: readonly string[];
  /** The windows the route is counted in; empty when it is not limited. */
  readonly windows: readonly RouteWindow[];
  /** `@Idempotent()` or a method of `idempotency.methods`; `required` as it applies. */
  readonly idempotency: { readonly required: boolean } | undefined;
  /** Arguments a validation pipe checks, with the pipe that checks each. */
  readonly validated: readonly ValidatedArgument[];
  /** The route reads a body: a `@Body()` argument, or a POST, PUT or PATCH. */
  readonly takesBody: boolean;
  /** The names of its path parameters (`id` of `/v1/locations/{id}`). */
  readonly pathParams: readonly string[];
  /** `@ApiErrorResponse` declarations. */
  readonly declared: ReturnType<typeof declaredErrorsOf>;
}

/** An argument and the pipe that validates it. */
export interface ValidatedArgument {
  readonly argument: RouteArgument;
  readonly pipe: PipeTransform;
}

const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** Pipes bound to one argument (`@Body(new StandardSchemaPipe(schema))`), by index. */
function argumentPipes(route: AppRoute): Map<number, readonly unknown[]> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.methodName) ??
    {}) as Record<string, { index: number; pipes?: readonly unknown[] }>;
  const pipes = new Map<number, readonly unknown[]>();
  for (const key of Object.keys(args)) pipes.set(args[key].index, args[key].pipes ?? []);
  return pipes;
}

/** True when `pipe`, the global one, validates an argument with this metadata. */
function globalPipeValidates(contract: ErrorContract, metadata: ArgumentMetadata): boolean {
  if (!contract.validation.enabled) return false;
  if (metadata.schema !== undefined) return validatesParameter(metadata, contract.validation);
  // A class-typed argument: Nest's ValidationPipe decides (`toValidate`); without
  // class-validator the global pipe has no such method and validates schemas only.
  const decide = (contract.pipe as { toValidate?: (metadata: ArgumentMetadata) => boolean })
    .toValidate;
  return typeof decide === 'function' && decide.call(contract.pipe, metadata) === true;
}

/** The arguments a route's validation checks, each with the pipe that does. */
function validatedArguments(route: AppRoute, contract: ErrorContract): ValidatedArgument[] {
  const own = argumentPipes(route);
  const found: ValidatedArgument[] = [];
  for (const argument of routeArguments(route.controller, route.methodName)) {
    const bound = (own.get(argument.index) ?? []).find(
      (pipe) => pipe instanceof StandardSchemaPipe || pipe instanceof ValidationPipe,
    ) as PipeTransform | undefined;
    if (bound) found.push({ argument, pipe: bound });
    else if (globalPipeValidates(contract, argument.metadata)) {
      found.push({ argument, pipe: contract.pipe });
    }
  }
  return found;
}

/** Reads what the library's guards and pipe know of one route. */
export function routeFactsOf(route: AppRoute, contract: ErrorContract): RouteFacts {
  const { reflector } = contract;
  const { handler, controller } = route;
  const auth = routeAuthOf(reflector, handler, controller);
  const authenticated = contract.apiKeys !== undefined && !auth.isPublic;
  let windows: readonly RouteWindow[] = [];
  if (contract.rateLimit) {
    const limits = routeLimitsOf(reflector, contract.rateLimit, handler, controller);
    if (!limits.skip) windows = authenticated ? limits.principalWindows : limits.ipWindows;
  }
  const idempotent = idempotentOptionsOf(reflector, handler, controller);
  const covered =
    idempotent !== undefined || contract.idempotency.methods.includes(route.httpMethod);
  const args = routeArguments(controller, route.methodName);
  return {
    method: route.httpMethod,
    auth,
    authenticated,
    features: requiredFeaturesOf(reflector, handler, controller),
    windows,
    idempotency: covered
      ? { required: idempotent?.required ?? contract.idempotency.required }
      : undefined,
    validated: validatedArguments(route, contract),
    takesBody: BODY_METHODS.has(route.httpMethod) || args.some((a) => a.source === 'body'),
    pathParams: [
      ...new Set(
        route.paths.flatMap((path) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])),
      ),
    ],
    declared: declaredErrorsOf(reflector, handler, controller),
  };
}

/** A request with only these headers, for the checks that read nothing else. */
function requestWith(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

/** What Express' and Fastify's parsers hand Nest for a body they could not read. */
function platformFailure(status: number, cause: Record<string, unknown>): HttpException {
  return new HttpException('platform failure', status, { cause });
}

/** The body-depth guard's own refusal, from a body one level deeper than it allows. */
function bodyTooDeep(contract: ErrorContract): unknown {
  let body: unknown = 0;
  for (let depth = 0; depth <= contract.validation.maxBodyDepth; depth++) body = [body];
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ body }) }),
  } as unknown as ExecutionContext;
  try {
    new BodyDepthGuard(contract.validation).canActivate(context);
  } catch (error) {
    return error;
  }
  throw new Error('nest-api-errors: the body-depth guard admitted a body deeper than its limit');
}

/**
 * The failure the route's validation gives for an empty request, from its own pipe and DTO or
 * schema; for a route that accepts one (every field optional), a failure of one field, as the
 * library reports a missing value.
 */
async function validationFailure(facts: RouteFacts, contract: ErrorContract): Promise<unknown> {
  for (const { argument, pipe } of facts.validated) {
    try {
      await pipe.transform(argument.data === undefined ? {} : undefined, argument.metadata);
    } catch (error) {
      if (error instanceof ApiException && error.code === 'validation_error') return error;
      if (error instanceof HttpException && error.getStatus() < 500) return error;
    }
  }
  const { fieldErrors } = flattenValidationErrors([
    { property: 'field', constraints: { isDefined: '' } },
  ]);
  return new ApiException('validation_error', undefined, {
    fieldErrors,
    status: contract.validation.status,
  });
}

/** A plain-language list: `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A window's length in words: `a minute`, `an hour`, `every 2 hours`. */
function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      if (n > 1) return `every ${n} ${unit}s`;
      return unit === 'hour' ? 'an hour' : `a ${unit}`;
    }
  }
  return `every ${ms} ms`;
}

/** How a window reads: `100 a minute per key`. */
export function describeWindow(window: RouteWindow): string {
  const per = { key: 'per key', organization: 'per organization', ip: 'per client IP' }[
    window.scope
  ];
  return `${window.limit.toLocaleString('en-US')} ${duration(window.ttlMs)} ${per}`;
}

/** How tiers change the key windows: `; authority keys 10×`, `; authority keys: minute 1000`. */
function tierRules(contract: ErrorContract): string {
  const rules = Object.entries(contract.rateLimit?.tiers ?? {}).map(([tier, rule]) =>
    typeof rule === 'number'
      ? `${tier} keys ${rule}×`
      : `${tier} keys: ${Object.entries(rule)
          .map(([window, limit]) => `${window} ${limit}`)
          .join(', ')}`,
  );
  return rules.length === 0 ? '' : `; ${rules.join('; ')}`;
}

/**
 * Every error one route can answer, in the order its request meets them (the platform's body
 * and URL checks, authentication, entitlements, rate limits, the body-depth check,
 * Idempotency-Key, validation, the handler), each rendered by the library's own renderer from
 * the canonical error its origin raises, in the app's format.
 */
export async function routeErrors(
  facts: RouteFacts,
  contract: ErrorContract,
  requestId: string,
): Promise<ErrorVariant[]> {
  const options = contract.errorResponse;
  const header = contract.requestContext.requestIdHeader;
  const variants: ErrorVariant[] = [];
  const limited = facts.windows.length > 0;
  // A refusal after authentication still describes the route's limits, read without counting.
  const afterAuth = limited && facts.authenticated && contract.limitsOnRefusals;
  const add = (
    key: string,
    summary: string,
    thrown: unknown,
    withLimits = false,
    replayable = false,
  ) => {
    const reply = renderThrown(thrown, contract, requestId);
    variants.push({ key, summary, reply, withLimits, replayable });
  };
  const addReply = (key: string, summary: string, reply: RenderedError | undefined) => {
    if (reply) variants.push({ key, summary, reply, withLimits: false, replayable: false });
  };

  // The platform reads the body and the URL before any guard: no limits described yet.
  if (facts.takesBody) {
    const accepted = contract.requestContext.bodyContentTypes;
    if (accepted !== false) {
      add(
        'unsupported_media_type',
        `The body is not ${listOf(accepted)}, or its charset is not UTF-8.`,
        bodyRejection(
          requestWith({ 'content-type': 'text/plain', 'content-length': '1' }),
          accepted,
        ),
      );
      add(
        'unsupported_media_type.content_encoding',
        'The body was sent with a Content-Encoding (gzip, br, …): send it uncompressed.',
        bodyRejection(
          requestWith({
            'content-encoding': 'gzip',
            'content-length': '1',
            'content-type': accepted[0],
          }),
          accepted,
        ),
      );
    }
    add(
      'bad_request.invalid_json',
      'The body is not valid JSON.',
      platformFailure(400, { type: 'entity.parse.failed' }),
    );
    add(
      'payload_too_large',
      'The body is larger than the server accepts.',
      platformFailure(413, { type: 'entity.too.large' }),
    );
  }
  if (facts.pathParams.length > 0) {
    const summary = 'A path segment has a malformed %-escape.';
    if (contract.platform === 'fastify') {
      const request = requestWith({ [header.toLowerCase()]: requestId });
      addReply('bad_request.url', summary, frameworkErrorReply(400, request, options, header));
      addReply(
        'bad_request.uri_too_long',
        'A path parameter is longer than the router accepts (Fastify’s maxParamLength, 100 by default).',
        frameworkErrorReply(414, request, options, header),
      );
    } else {
      add('bad_request.url', summary, platformFailure(400, { name: 'URIError', status: 400 }));
    }
  }

  const apiKeys = contract.apiKeys;
  if (apiKeys && facts.authenticated) {
    const how = apiKeys.bearer
      ? `the ${apiKeys.header} header or an Authorization: Bearer token`
      : `the ${apiKeys.header} header`;
    add(
      'unauthorized',
      `No API key in ${how}, or one that is malformed, unknown, revoked, expired or used from an address its allowlist does not include: one answer for every case.`,
      unauthorizedError(unauthorizedHeaders(apiKeys.header)),
    );
    if (apiKeys.failuresPerMinute > 0) {
      add(
        'rate_limit_exceeded.failed_authentications',
        `${apiKeys.failuresPerMinute} failed authentications from one client IP within a minute turn it away, whatever key it sends, until that minute is over: wait Retry-After seconds.`,
        failedAuthenticationsError(30),
      );
    }
    if (facts.auth.scopes.length > 0) {
      add(
        'forbidden.scopes',
        `The key lacks a scope this route requires: ${listOf(facts.auth.scopes)}.`,
        missingScopeError(),
        afterAuth,
      );
    }
    const tenant = facts.auth.tenant;
    if (tenant) {
      const where =
        'param' in tenant ? `path parameter ${tenant.param}` : `header ${tenant.header}`;
      // A path parameter of the route is never empty (neither router matches an empty
      // segment); one the route does not have is always missing.
      if (!('param' in tenant) || !facts.pathParams.includes(tenant.param)) {
        add(
          'bad_request.tenant',
          `The ${where}, which names the organization, is missing or empty.`,
          missingTenantError(tenant),
          afterAuth,
        );
      }
      add(
        'forbidden.tenant',
        `The ${where} names an organization other than the key's.`,
        otherTenantError(tenant),
        afterAuth,
      );
    }
  }

  const plan = contract.entitlements;
  const denied = facts.features.filter(
    // Every tier includes a feature of the lowest one: a principal is refused it only when it
    // has none of the tiers, which the keys file's check of tiers rules out. Without a principal
    // (no apiKeys) every feature is refused.
    (feature) => !facts.authenticated || plan.features[feature] !== plan.tiers[0],
  );
  for (const feature of denied) {
    const tier = Object.prototype.hasOwnProperty.call(plan.features, feature)
      ? plan.features[feature]
      : null;
    const denial = decideFeature(feature, undefined, plan, 0) as FeatureDenial;
    add(
      denied.length > 1 ? `feature_not_entitled.${feature}` : 'feature_not_entitled',
      tier === null
        ? `The caller's plan lacks ${feature}, which is sold only as an add-on.`
        : `The caller's plan lacks ${feature}: the ${tier} tier and above include it, as do a running trial or an add-on.`,
      featureNotEntitledError(denial),
      afterAuth,
    );
  }

  if (limited) {
    const shortest = Math.min(...facts.windows.map((w) => w.ttlMs));
    const seconds = Math.min(30, Math.ceil(shortest / 1000));
    add(
      'rate_limit_exceeded',
      `A rate limit is used up (${listOf(facts.windows.map(describeWindow))}${tierRules(contract)}): wait Retry-After seconds.`,
      rateLimitExceededError(seconds, { 'Retry-After': String(seconds) }),
      true,
    );
    const rateLimit = contract.rateLimit;
    if (rateLimit?.redis?.failClosed && rateLimit.store === undefined) {
      add(
        'service_unavailable.rate_limit_store',
        'Redis, which holds the rate-limit counters, cannot be reached: retry after Retry-After seconds.',
        storeUnavailableError(),
      );
    }
  }

  if (facts.takesBody) {
    add(
      'bad_request.body_too_deep',
      `The body nests objects or arrays deeper than ${contract.validation.maxBodyDepth} levels.`,
      bodyTooDeep(contract),
      limited,
    );
  }

  if (facts.idempotency) {
    const idempotency = contract.idempotency;
    if (facts.idempotency.required) {
      add(
        'bad_request.idempotency_key_missing',
        'The Idempotency-Key header is missing; this route requires one.',
        idempotencyKeyRequiredError(),
        limited,
      );
    }
    add(
      'bad_request.idempotency_key',
      'The Idempotency-Key header is not 1-255 characters of A-Z a-z 0-9 _ - : . (bare or in double quotes).',
      malformedIdempotencyKeyError(),
      limited,
    );
    add(
      'idempotency_key_in_use',
      'A request with the same Idempotency-Key is still running: retry after Retry-After seconds.',
      idempotencyKeyInUseError(),
      limited,
    );
    add(
      'idempotency_key_reused',
      'The Idempotency-Key was used before with another request (method, route or body).',
      idempotencyKeyReusedError(idempotency.reusedStatus),
      limited,
    );
    if (idempotency.redis !== undefined || idempotency.store !== undefined) {
      add(
        'service_unavailable.idempotency_store',
        'The idempotency store cannot be reached, so the request did not run: retry after Retry-After seconds.',
        storeUnavailableError(),
        limited,
      );
    }
  }

  if (facts.validated.length > 0) {
    const sources = [...new Set(facts.validated.map((v) => v.argument.source))];
    add(
      'validation_error',
      `The ${listOf(sources.map((s) => (s === 'param' ? 'path parameters' : s)))} failed validation: every message by field.`,
      await validationFailure(facts, contract),
      limited,
    );
  }

  const replayable = facts.idempotency !== undefined;
  const keys = new Set(variants.map((v) => v.key));
  for (const declared of facts.declared) {
    let key: string = declared.code;
    for (let n = 2; keys.has(key); n++) key = `${declared.code}.${n}`;
    keys.add(key);
    const definition = contract.errorResponse.catalogue[declared.code];
    add(
      key,
      declared.message ?? definition?.message ?? declared.code,
      new ApiException(declared.code, declared.message, declared.extras),
      limited,
      replayable,
    );
  }

  add(
    'internal_error',
    'An unexpected failure: the answer says nothing of it; the server logs it with the request id.',
    new ApiException('internal_error'),
    false,
    replayable && contract.idempotency.storeServerErrors,
  );
  return variants;
}
