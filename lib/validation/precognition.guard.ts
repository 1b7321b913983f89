import {
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type PipeTransform,
} from '@nestjs/common';
import {
  addVary,
  isResponseStarted,
  rawRequest,
  routeArgumentOf,
  sendEmpty,
  setResponseHeader,
} from '../platform/platform.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { attachRequestContext } from '../request-context/request-context.store.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { routeArguments, type RouteArgument } from './route-arguments.js';
import { listedFailure, parseValidateOnly } from './validate-only.js';
import { VALIDATION_PIPE } from './validation-pipe.provider.js';

/**
 * True for a Laravel Precognition request: HTTP with the header `Precognition: true`, compared
 * as Laravel's `isAttemptingPrecognition()` does. Reads the request from the context's
 * arguments (request, response, next): `switchToHttp()` would allocate on every request.
 */
function isPrecognitive(context: ExecutionContext): boolean {
  return (
    context.getType<string>() === 'http' &&
    rawRequest(context.getArgByIndex(0)).headers.precognition === 'true'
  );
}

/**
 * Marks every response to a precognitive request as one, as Laravel's
 * HandlePrecognitiveRequests middleware does: `Precognition: true`, which the
 * `laravel-precognition` client requires of every answer (a 401, 403 or 429 included, or it
 * throws instead of calling its `onUnauthorized`, …), and `Vary: Precognition`.
 *
 * The first global guard, so that the refusals of the guards after it carry both headers; the
 * exception filter keeps headers already set. With `format: 'laravel'` only.
 */
@Injectable()
export class PrecognitionHeadersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (isPrecognitive(context)) {
      const response: unknown = context.getArgByIndex(1);
      setResponseHeader(response, 'Precognition', 'true');
      addVary(response, 'Precognition');
    }
    return true;
  }
}

/**
 * Answers Laravel Precognition requests on every route, as Laravel's
 * HandlePrecognitiveRequests middleware and precognitive controller dispatcher do: the
 * handler never runs. The route's `@Body()`, `@Query()` and `@Param()` arguments go through the
 * global validation pipe (the same instance, so an app's `validation.pipe` subclass applies);
 * valid, the answer is 204 with `Precognition-Success: true`; invalid, the validation failure
 * goes to the exception filter as on the real submission. `Precognition-Validate-Only` limits
 * the errors reported to the fields it lists; none left, the answer is the 204.
 *
 * A global guard after authentication, entitlements, rate limits and the body-depth check (a
 * precognitive request is refused and counted like its real submission) and before the
 * Idempotency-Key guard, so that it never claims a key. With `format: 'laravel'` only; other
 * formats ignore the header and run the request as usual.
 */
@Injectable()
export class PrecognitionGuard implements CanActivate {
  private readonly routes = new HandlerCache<readonly RouteArgument[]>();

  constructor(
    @Inject(VALIDATION_PIPE) private readonly pipe: PipeTransform,
    @Inject(REQUEST_CONTEXT_OPTIONS) private readonly requestOptions: ResolvedRequestContextOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!isPrecognitive(context)) return true;
    return this.validate(context);
  }

  /**
   * Validates the arguments in parameter order and throws the first failure to report, as
   * Nest's router would for the real submission; else answers the 204. The answer is written
   * here, and what follows the guards (pipes, the handler) must not run, so the returned
   * promise never settles, as with an idempotent replay; it is collected with the request.
   */
  private async validate(context: ExecutionContext): Promise<boolean> {
    const request: unknown = context.getArgByIndex(0);
    const response: unknown = context.getArgByIndex(1);
    const only = parseValidateOnly(rawRequest(request).headers['precognition-validate-only']);
    const args = this.routes.get(context, () =>
      routeArguments(context.getClass(), context.getHandler().name),
    );
    for (const { source, data, metadata } of args) {
      try {
        await this.pipe.transform(routeArgumentOf(request, source, data), metadata);
      } catch (error) {
        const reported = only === undefined ? error : listedFailure(error, only);
        if (reported !== undefined) throw reported;
      }
    }
    if (!isResponseStarted(response)) {
      const { requestId } = attachRequestContext(
        request,
        response,
        this.requestOptions.requestIdHeader,
      );
      sendEmpty(response, 204, {
        'Precognition-Success': 'true',
        // A validation result holds for this request only; like an error, never reused.
        'Cache-Control': 'no-store',
        [this.requestOptions.requestIdHeader]: requestId,
      });
    }
    return new Promise<boolean>(() => undefined);
  }
}
