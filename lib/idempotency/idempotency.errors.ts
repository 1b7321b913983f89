import { ApiException } from '../errors/api.exception.js';

/**
 * The answers of the Idempotency-Key guard, built in one place: the guard throws them, and the
 * OpenAPI document and the Errors page render them.
 */

/** 400: a covered route asked for a key (`required`) and the request sent none. */
export function idempotencyKeyRequiredError(): ApiException {
  return new ApiException('bad_request', 'The Idempotency-Key header is required');
}

/** 400: the header is not a key the guard accepts. */
export function malformedIdempotencyKeyError(): ApiException {
  return new ApiException(
    'bad_request',
    'The Idempotency-Key header must be 1-255 characters of A-Z a-z 0-9 _ - : .',
  );
}

/** 409: a request with the same key is still running; retry after a second. */
export function idempotencyKeyInUseError(): ApiException {
  return new ApiException('idempotency_key_in_use', undefined, {
    headers: { 'Retry-After': '1' },
  });
}

/** The key was used before with another request (`reusedStatus`: 422 or 400). */
export function idempotencyKeyReusedError(status: number): ApiException {
  return new ApiException('idempotency_key_reused', undefined, { status });
}
