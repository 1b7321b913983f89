import type { BuiltInErrorCode } from '../errors/error-catalogue.js';

/** What a client should do about an error. */
export type RetryAdvice = 'no' | 'after' | 'backoff';

/** What each built-in code means to a client, and whether sending the request again helps. */
export const CODE_MEANINGS: Readonly<
  Record<BuiltInErrorCode, { meaning: string; retry: RetryAdvice }>
> = Object.freeze({
  bad_request: {
    meaning: 'The request is malformed: its body, its URL or one of its headers.',
    retry: 'no',
  },
  unauthorized: {
    meaning:
      'The API key is missing, malformed, unknown, revoked or expired, or used from an address it does not allow.',
    retry: 'no',
  },
  forbidden: {
    meaning:
      'The key is valid but may not do this: it lacks a scope, or the resource belongs to another organization.',
    retry: 'no',
  },
  feature_not_entitled: {
    meaning: 'The plan does not include the feature this route needs.',
    retry: 'no',
  },
  not_found: { meaning: 'No such route, or no such resource.', retry: 'no' },
  method_not_allowed: {
    meaning: 'The path exists, but not with this method; `Allow` lists those it takes.',
    retry: 'no',
  },
  not_acceptable: { meaning: 'No representation the request accepts is available.', retry: 'no' },
  request_timeout: {
    meaning: 'The request was not sent in time; the connection is closed.',
    retry: 'backoff',
  },
  conflict: {
    meaning: 'The request conflicts with the current state of the resource.',
    retry: 'no',
  },
  gone: { meaning: 'The resource is no longer available.', retry: 'no' },
  precondition_failed: { meaning: 'A precondition of the request failed.', retry: 'no' },
  payload_too_large: { meaning: 'The body is larger than the server accepts.', retry: 'no' },
  unsupported_media_type: {
    meaning: 'The body is not JSON encoded as UTF-8, or it was sent compressed.',
    retry: 'no',
  },
  validation_error: {
    meaning: 'The request failed validation; the body lists every failing field.',
    retry: 'no',
  },
  idempotency_key_reused: {
    meaning: 'The Idempotency-Key was used before with a different request.',
    retry: 'no',
  },
  idempotency_key_in_use: {
    meaning: 'A request with the same Idempotency-Key is still being processed.',
    retry: 'after',
  },
  rate_limit_exceeded: { meaning: 'Too many requests.', retry: 'after' },
  internal_error: {
    meaning: 'An unexpected failure on the server; it is logged with the request id.',
    retry: 'backoff',
  },
  not_implemented: { meaning: 'The server does not support this yet.', retry: 'no' },
  bad_gateway: { meaning: 'A service the API depends on failed.', retry: 'backoff' },
  service_unavailable: { meaning: 'The service cannot answer right now.', retry: 'after' },
  gateway_timeout: { meaning: 'A service the API depends on timed out.', retry: 'backoff' },
});
