/**
 * The catalogue of built-in error codes: every code has exactly one HTTP status, a fixed
 * title (used by the `problem` format) and a default public message.
 *
 * Adding a code here without a status, title and message does not compile, because the
 * catalogue is checked against `Record<BuiltInErrorCode, ErrorCodeDefinition>`.
 * The README's code table is kept in step with this object by a unit test.
 */
export interface ErrorCodeDefinition {
  /** HTTP status, an integer in 400–599. */
  readonly status: number;
  /** Short, fixed summary of the code (RFC 9457 `title`). */
  readonly title: string;
  /** Default public message, used when the thrower gives none and always for 5xx. */
  readonly message: string;
}

export const BUILT_IN_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'feature_not_entitled',
  'not_found',
  'method_not_allowed',
  'not_acceptable',
  'request_timeout',
  'conflict',
  'gone',
  'precondition_failed',
  'payload_too_large',
  'unsupported_media_type',
  'validation_error',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'rate_limit_exceeded',
  'internal_error',
  'not_implemented',
  'bad_gateway',
  'service_unavailable',
  'gateway_timeout',
] as const;

export type BuiltInErrorCode = (typeof BUILT_IN_ERROR_CODES)[number];

/**
 * Apps declare their own codes by augmenting this interface, and register the same codes
 * (with status and message) through the `codes` option, which is validated at bootstrap.
 *
 * @example
 * declare module 'nest-api-errors' {
 *   interface ApiErrorCodeRegistry { booking_locked: true }
 * }
 * ApiErrorsModule.forRoot({ codes: { booking_locked: { status: 423, message: 'Booking is locked' } } });
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ApiErrorCodeRegistry {}

/** Every code a thrower may name: the built-in ones and those the app registered. */
export type ErrorCode = BuiltInErrorCode | Extract<keyof ApiErrorCodeRegistry, string>;

export const ERROR_CATALOGUE: Readonly<Record<BuiltInErrorCode, ErrorCodeDefinition>> =
  Object.freeze({
    bad_request: { status: 400, title: 'Bad Request', message: 'The request body is invalid' },
    unauthorized: { status: 401, title: 'Unauthorized', message: 'Invalid or missing API key' },
    forbidden: { status: 403, title: 'Forbidden', message: 'Insufficient permissions' },
    feature_not_entitled: {
      status: 403,
      title: 'Feature Not Entitled',
      message: 'Your plan does not include this feature',
    },
    not_found: { status: 404, title: 'Not Found', message: 'Resource not found' },
    method_not_allowed: {
      status: 405,
      title: 'Method Not Allowed',
      message: 'Method not allowed for this resource',
    },
    not_acceptable: {
      status: 406,
      title: 'Not Acceptable',
      message: 'No acceptable representation is available',
    },
    request_timeout: { status: 408, title: 'Request Timeout', message: 'The request timed out' },
    conflict: {
      status: 409,
      title: 'Conflict',
      message: 'The request conflicts with the current state of the resource',
    },
    gone: { status: 410, title: 'Gone', message: 'The resource is no longer available' },
    precondition_failed: {
      status: 412,
      title: 'Precondition Failed',
      message: 'A precondition of the request failed',
    },
    payload_too_large: {
      status: 413,
      title: 'Payload Too Large',
      message: 'The request body is too large',
    },
    unsupported_media_type: {
      status: 415,
      title: 'Unsupported Media Type',
      message: 'The request body must be JSON encoded as UTF-8',
    },
    validation_error: {
      status: 422,
      title: 'Validation Error',
      message: 'The request failed validation',
    },
    idempotency_key_reused: {
      status: 422,
      title: 'Idempotency Key Reused',
      message: 'This Idempotency-Key was already used with a different request',
    },
    idempotency_key_in_use: {
      status: 409,
      title: 'Idempotency Key In Use',
      message: 'A request with this Idempotency-Key is still being processed',
    },
    rate_limit_exceeded: {
      status: 429,
      title: 'Too Many Requests',
      message: 'Rate limit exceeded',
    },
    internal_error: {
      status: 500,
      title: 'Internal Server Error',
      message: 'An internal error occurred',
    },
    not_implemented: { status: 501, title: 'Not Implemented', message: 'Not implemented' },
    bad_gateway: { status: 502, title: 'Bad Gateway', message: 'An upstream service failed' },
    service_unavailable: {
      status: 503,
      title: 'Service Unavailable',
      message: 'Service temporarily unavailable',
    },
    gateway_timeout: {
      status: 504,
      title: 'Gateway Timeout',
      message: 'An upstream service timed out',
    },
  });

/** True for an integer HTTP status that may be sent as an error: 400–599. */
export function isErrorStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}
