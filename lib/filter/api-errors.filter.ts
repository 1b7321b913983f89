import {
  Catch,
  HttpException,
  Inject,
  Injectable,
  Logger,
  Optional,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import type { CanonicalError } from '../errors/api-error.js';
import { ApiException } from '../errors/api.exception.js';
import { allowedMethods } from '../platform/allowed-methods.js';
import {
  describePlatformFailure,
  endResponse,
  isResponseStarted,
  rawRequest,
  sendSerialised,
} from '../platform/platform.js';
import { bodyRejection } from '../request-context/body-content-type.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { attachRequestContext } from '../request-context/request-context.store.js';
import { isReportedOutage } from '../shared/outage-log.js';
import {
  ERROR_RESPONSE_OPTIONS,
  type ResolvedErrorResponseOptions,
} from './error-response.options.js';
import { isRouteNotFound, normaliseException } from './normalise-exception.js';
import { renderError, type RenderedError } from './render-error.js';

/** What an RPC caller receives for an error: Nest's own `{ status: 'error', message }`, and more. */
export interface RpcErrorPayload {
  readonly status: 'error';
  readonly message: string;
  readonly code: string;
  readonly statusCode: number;
}

/**
 * The one global exception filter. Normalises whatever was thrown into the canonical error,
 * renders it in the configured format and replies through the platform helpers. It is
 * registered by `ApiErrorsModule`; apps never register it themselves.
 */
@Catch()
@Injectable()
export class ApiErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrors');

  constructor(
    @Inject(ERROR_RESPONSE_OPTIONS) private readonly options: ResolvedErrorResponseOptions,
    @Inject(REQUEST_CONTEXT_OPTIONS) private readonly requestOptions: ResolvedRequestContextOptions,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    const type = host.getType<string>();
    if (type === 'rpc') return this.rpcError(exception);
    if (type !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<unknown>();
    const response = http.getResponse<unknown>();
    const context = attachRequestContext(request, response, this.requestOptions.requestIdHeader);
    const { requestId } = context;
    const error = normaliseException(
      this.methodNotAllowed(this.bodyMediaTypeFirst(exception, request), request),
      this.options,
    );
    context.errorCode = error.code;

    if (error.status >= 500) this.logServerError(error, request, requestId);
    if (isResponseStarted(response)) {
      // As Nest's BaseExceptionFilter does: what was sent cannot be taken back, but the
      // response is ended rather than left open.
      this.logger.warn(
        `[${requestId}] ${error.code} raised after the response was sent; response ended`,
      );
      endResponse(response);
      return;
    }
    this.reply(error, response, requestId);
  }

  /**
   * An RPC handler's error, answered as Nest's own RPC filter answers (`status: 'error'` and a
   * message), with the code and status of the canonical error; 5xx masked as on HTTP.
   */
  private rpcError(exception: unknown): Observable<never> {
    const error = normaliseException(exception, this.options);
    if (error.status >= 500) {
      const cause = error.cause;
      this.logger.error(
        `rpc → ${error.status} ${error.code}: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : safeDescribe(cause)}`,
        cause instanceof Error ? cause.stack : undefined,
      );
    }
    const payload: RpcErrorPayload = {
      status: 'error',
      message: error.message,
      code: error.code,
      statusCode: error.status,
    };
    return throwError(() => payload);
  }

  /**
   * A body the platform failed to parse is answered 415 when its media type, charset or
   * Content-Encoding was not acceptable in the first place: Express parses (and inflates, and
   * decodes UTF-16) before any middleware could check it, Fastify checks first, and both must
   * answer alike.
   */
  private bodyMediaTypeFirst(exception: unknown, request: unknown): unknown {
    const accepted = this.requestOptions.bodyContentTypes;
    if (
      accepted === false ||
      !(exception instanceof HttpException) ||
      !describePlatformFailure(exception.cause)
    ) {
      return exception;
    }
    return bodyRejection(rawRequest(request), accepted) ?? exception;
  }

  /**
   * No route matched, but routes answer the path with other methods: 405 with the `Allow`
   * they answer, on both platforms (neither router says so itself).
   */
  private methodNotAllowed(exception: unknown, request: unknown): unknown {
    if (!isRouteNotFound(exception)) return exception;
    const raw = rawRequest(request);
    const allowed = allowedMethods(this.adapterHost?.httpAdapter?.getInstance(), raw);
    // A route of this very method that turned the request away (a version or host constraint
    // not met) makes it a 404 after all.
    if (allowed.length === 0 || allowed.includes(raw.method ?? '')) return exception;
    return new ApiException('method_not_allowed', undefined, {
      headers: { Allow: allowed.join(', ') },
      cause: exception,
    });
  }

  /** Renders and sends the error. Falls back to a bare internal error if rendering fails. */
  protected reply(error: CanonicalError, response: unknown, requestId: string): void {
    let rendered: RenderedError;
    try {
      rendered = renderError(error, requestId, this.options, this.requestOptions.requestIdHeader);
    } catch (failure) {
      if (error.code === 'internal_error') throw failure;
      this.logger.error(`[${requestId}] could not render ${error.code}`, (failure as Error)?.stack);
      const fallback = normaliseException(failure, this.options);
      this.reply(fallback, response, requestId);
      return;
    }
    sendSerialised(response, rendered.status, rendered.headers, rendered.payload);
  }

  /**
   * Logs a 5xx once, with the request id; the client never sees any of it. An unexpected error
   * is logged with its stack; a deliberate one (an ApiException such as a 503) as a warning;
   * a 503 for a store outage not at all (the store's outage log counts them).
   */
  protected logServerError(error: CanonicalError, request: unknown, requestId: string): void {
    const raw = rawRequest(request);
    const cause = error.cause;
    // A store outage is logged where it happens, with counts, not once per request.
    if (isReportedOutage(cause)) return;
    if (cause instanceof ApiException && cause.code === error.code) {
      this.logger.warn(`[${requestId}] ${raw.method} ${raw.url} → ${error.status} ${error.code}`);
      return;
    }
    const description =
      cause instanceof Error
        ? `${cause.name}: ${cause.message}`
        : `non-error value thrown: ${safeDescribe(cause)}`;
    this.logger.error(
      `[${requestId}] ${raw.method} ${raw.url} → ${error.status} ${error.code}: ${description}`,
      cause instanceof Error ? cause.stack : undefined,
    );
  }
}

function safeDescribe(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return Object.prototype.toString.call(value);
  }
}
