import { ApiException } from '../errors/api.exception.js';

/**
 * The 429 of a full window: `headers` are the X-RateLimit-* (and IETF) ones and Retry-After.
 * The rate-limit guard throws it; the OpenAPI document and the Errors page render it.
 */
export function rateLimitExceededError(
  retryAfterSeconds: number,
  headers: Readonly<Record<string, string>>,
): ApiException {
  return new ApiException(
    'rate_limit_exceeded',
    `Rate limit exceeded. Try again in ${retryAfterSeconds} seconds.`,
    { headers },
  );
}
