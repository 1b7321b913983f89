import type { ErrorCode } from './error-catalogue.js';
import type { FieldError } from './api-error.js';

/** Optional parts of an {@link ApiException} beyond its code and message. */
export interface ApiExceptionExtras {
  /** Structured details (nested format: `error.details`; problem: extension members). */
  details?: Record<string, unknown>;
  /** Extra top-level members rendered by every format (`feature`, `isTrial`, …). */
  extensions?: Record<string, unknown>;
  /** Headers to send with the error response. */
  headers?: Record<string, string>;
  /** Field errors (validation failures). */
  fieldErrors?: readonly FieldError[];
  /** How many field errors were left out of `fieldErrors` to bound the response. */
  omittedFieldErrors?: number;
  /** Overrides the code's catalogue status (an integer in 400–599). */
  status?: number;
  /** The underlying error: logged, never sent. */
  cause?: unknown;
}

/**
 * The exception apps throw to answer with a catalogued error.
 *
 * @example
 * throw new ApiException('conflict', 'Time slot is no longer available');
 */
export class ApiException extends Error {
  override readonly name = 'ApiException';

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extras: ApiExceptionExtras = {},
  ) {
    // An ApiException is an answer, not a fault: capturing a stack trace would be most of its
    // cost on every 4xx. An underlying error passed as `cause` keeps its own stack for the log.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message ?? code, extras.cause === undefined ? undefined : { cause: extras.cause });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.publicMessage = message;
  }

  /** The message the thrower chose, or undefined to use the catalogue's default. */
  readonly publicMessage: string | undefined;
}

/** 404 not_found. */
export class NotFoundApiException extends ApiException {
  constructor(message?: string, extras?: ApiExceptionExtras) {
    super('not_found', message, extras);
  }
}

/** 409 conflict. */
export class ConflictApiException extends ApiException {
  constructor(message?: string, extras?: ApiExceptionExtras) {
    super('conflict', message, extras);
  }
}

/** 403 forbidden. */
export class ForbiddenApiException extends ApiException {
  constructor(message?: string, extras?: ApiExceptionExtras) {
    super('forbidden', message, extras);
  }
}

/** 400 bad_request. */
export class BadRequestApiException extends ApiException {
  constructor(message?: string, extras?: ApiExceptionExtras) {
    super('bad_request', message, extras);
  }
}

/**
 * 503 service_unavailable with `Retry-After`.
 *
 * @example
 * throw new ServiceUnavailableApiException(30); // Retry-After: 30
 */
export class ServiceUnavailableApiException extends ApiException {
  constructor(retryAfterSeconds?: number, extras: ApiExceptionExtras = {}) {
    const headers =
      retryAfterSeconds === undefined
        ? extras.headers
        : { ...extras.headers, 'Retry-After': String(retryAfterSeconds) };
    super('service_unavailable', undefined, { ...extras, headers });
  }
}

/**
 * A validation failure raised by application code (business rules), rendered exactly like the
 * pipe's own validation errors.
 *
 * @example
 * throw new ApiValidationException({ endsAt: ['End time must be after start time'] });
 */
export class ApiValidationException extends ApiException {
  constructor(
    fields: Record<string, readonly string[]> | readonly FieldError[],
    extras?: ApiExceptionExtras,
  ) {
    const fieldErrors = Array.isArray(fields)
      ? (fields as readonly FieldError[])
      : Object.entries(fields as Record<string, readonly string[]>).flatMap(([path, messages]) =>
          messages.map((message) => ({ path, message })),
        );
    super('validation_error', undefined, { ...extras, fieldErrors });
  }
}
