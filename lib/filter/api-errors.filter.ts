import {
  Catch,
  HttpException,
  Inject,
  Injectable,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import type { CanonicalError } from '../errors/api-error.js';
import { ApiException } from '../errors/api.exception.js';
import { isErrorStatus } from '../errors/error-catalogue.js';
import { JSON_CONTENT_TYPE, type ErrorFormatContext } from '../formats/error-format.js';
import { FORMAT_RENDERERS } from '../formats/index.js';
import {
  describePlatformFailure,
  isResponseStarted,
  rawRequest,
  sendSerialised,
} from '../platform/platform.js';
import { isAcceptedBodyContentType } from './body-content-type.js';
import { IdempotentReplay } from '../idempotency/idempotent-replay.js';
import { attachRequestContext } from '../request-id/request-context.store.js';
import { isReportedOutage } from '../shared/outage-log.js';
import { normaliseException } from './normalise-exception.js';

/** A header value Node accepts: no control characters (CR, LF, NUL). */
const SAFE_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The one global exception filter. Normalises whatever was thrown into the canonical error,
 * renders it in the configured format and replies through the platform helpers. It is
 * registered by `ApiErrorsModule`; apps never register it themselves.
 */
@Catch()
@Injectable()
export class ApiErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrors');

  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<unknown>();
    const response = http.getResponse<unknown>();
    const context = attachRequestContext(request, response, this.options.requestIdHeader);
    const { requestId } = context;
    if (exception instanceof IdempotentReplay) {
      this.replay(exception, response, requestId);
      return;
    }
    const error = normaliseException(this.bodyMediaTypeFirst(exception, request), this.options);
    context.errorCode = error.code;

    if (error.status >= 500) this.logServerError(error, request, requestId);
    if (isResponseStarted(response)) {
      this.logger.warn(
        `[${requestId}] ${error.code} raised after the response was sent; not written again`,
      );
      return;
    }
    this.reply(error, response, requestId);
  }

  /** Sends a stored idempotent response byte for byte, marked as a replay, with this request's id. */
  private replay(replay: IdempotentReplay, response: unknown, requestId: string): void {
    if (isResponseStarted(response)) return;
    const { status, headers, body } = replay.response;
    sendSerialised(
      response,
      status,
      { ...headers, 'Idempotent-Replayed': 'true', [this.options.requestIdHeader]: requestId },
      Buffer.from(body, 'base64'),
    );
  }

  /**
   * A body the platform failed to parse is answered 415 when its media type or charset was not
   * acceptable in the first place: Express parses before any middleware could check it (and
   * decodes UTF-16 on the way), Fastify checks first, and both must answer alike.
   */
  private bodyMediaTypeFirst(exception: unknown, request: unknown): unknown {
    const accepted = this.options.bodyContentTypes;
    if (
      accepted !== false &&
      exception instanceof HttpException &&
      describePlatformFailure(exception.cause) &&
      !isAcceptedBodyContentType(rawRequest(request), accepted)
    ) {
      return new ApiException('unsupported_media_type', undefined, { cause: exception.cause });
    }
    return exception;
  }

  /** Renders and sends the error. Falls back to a bare internal error if rendering fails. */
  protected reply(error: CanonicalError, response: unknown, requestId: string): void {
    const context: ErrorFormatContext = {
      requestId,
      includeRequestId: this.options.includeRequestId,
      typeBaseUri: this.options.typeBaseUri,
    };
    let status = error.status;
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    copySafeHeaders(error.headers, headers);
    let payload: string;
    try {
      const format = this.options.format;
      if (typeof format === 'function') {
        const custom = format(error, context);
        if (isErrorStatus(custom.status)) status = custom.status;
        headers['Content-Type'] = JSON_CONTENT_TYPE;
        copySafeHeaders(custom.headers, headers);
        payload = JSON.stringify(custom.body);
      } else {
        const rendered = FORMAT_RENDERERS[format](error, context);
        headers['Content-Type'] = rendered.contentType;
        payload = JSON.stringify(rendered.body);
      }
    } catch (renderError) {
      if (error.code === 'internal_error') throw renderError;
      this.logger.error(
        `[${requestId}] could not render ${error.code}`,
        (renderError as Error)?.stack,
      );
      const fallback = normaliseException(renderError, this.options);
      this.reply(fallback, response, requestId);
      return;
    }
    headers[this.options.requestIdHeader] = requestId;
    sendSerialised(response, status, headers, payload);
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

/** Copies the headers Node can send; `Retry-After` as whole seconds, at least 1. */
function copySafeHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  into: Record<string, string>,
): void {
  if (!headers) return;
  for (const name of Object.keys(headers)) {
    const text = String(headers[name]);
    if (!SAFE_HEADER_VALUE.test(text)) continue;
    if (name.length === 11 && name.toLowerCase() === 'retry-after') {
      const seconds = Number(text);
      if (Number.isFinite(seconds)) into[name] = String(Math.max(1, Math.ceil(seconds)));
      else if (!Number.isNaN(Date.parse(text))) into[name] = text;
      continue;
    }
    into[name] = text;
  }
}

function safeDescribe(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return Object.prototype.toString.call(value);
  }
}
