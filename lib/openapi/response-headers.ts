import type { ResolvedRateLimitOptions } from '../rate-limit/rate-limit.options.js';
import { VALID_REQUEST_ID } from '../request-context/request-id.js';
import type { JsonSchema } from './error-schemas.js';

/** An OpenAPI Header Object. */
export interface HeaderObject {
  description: string;
  required: boolean;
  schema: JsonSchema;
}

/** A draft-ietf-httpapi-ratelimit-headers-09 item: a quoted name, then parameters. */
const item = (parameters: string) => `"(?:[^"\\\\]|\\\\.)*"${parameters}`;
const list = (one: string) => `^${one}(?:, ${one})*$`;

/** What each header the library sends means, and the values it takes. */
export function headerSchema(name: string, value?: string): Omit<HeaderObject, 'required'> {
  switch (name.toLowerCase()) {
    case 'retry-after':
      return {
        description: 'Seconds to wait before sending the request again.',
        schema: { type: 'integer', minimum: 1 },
      };
    case 'www-authenticate':
      return {
        description: 'How to authenticate: the API key, in the header it names.',
        schema: { type: 'string', enum: [value] },
      };
    case 'cache-control':
      return {
        description: 'Errors are never stored by caches.',
        schema: { type: 'string', enum: ['no-store'] },
      };
    case 'accept-encoding':
      return {
        description: 'Bodies are accepted only as they are, without a Content-Encoding.',
        schema: { type: 'string', enum: ['identity'] },
      };
    default:
      return {
        description: `Sent with this error${value === undefined ? '' : ` (${value})`}.`,
        schema: { type: 'string' },
      };
  }
}

/** `X-Request-Id` (or the configured name), on every response. */
export function requestIdHeader(): HeaderObject {
  return {
    description:
      'The request id: the one the request sent (1-128 characters of A-Z a-z 0-9 . _ -), else a new one. Quote it when asking for support.',
    required: true,
    schema: { type: 'string', pattern: VALID_REQUEST_ID.source },
  };
}

/** The X-RateLimit-* headers (and the IETF ones when on) of a limited route. */
export function rateLimitHeaders(
  options: ResolvedRateLimitOptions,
  required: boolean,
): Record<string, HeaderObject> {
  const headers: Record<string, HeaderObject> = {
    'X-RateLimit-Limit': {
      description:
        'Requests allowed in the most constraining window: the one with the fewest left (of equals, the shortest).',
      required,
      schema: { type: 'integer', minimum: 1 },
    },
    'X-RateLimit-Remaining': {
      description: 'Requests left in that window.',
      required,
      schema: { type: 'integer', minimum: 0 },
    },
    'X-RateLimit-Reset': {
      description: 'When that window ends, in Unix epoch seconds.',
      required,
      schema: { type: 'integer', minimum: 0 },
    },
  };
  if (options.ietfHeaders) {
    headers['RateLimit-Policy'] = {
      description:
        'Every window of the route (draft-ietf-httpapi-ratelimit-headers-09): its name, q its quota, w its length in seconds.',
      required,
      schema: { type: 'string', pattern: list(item(';q=\\d+;w=\\d+')) },
    };
    headers.RateLimit = {
      description: 'Every window: r the requests it has left, t the seconds until it resets.',
      required,
      schema: { type: 'string', pattern: list(item(';r=\\d+;t=\\d+')) },
    };
  }
  return headers;
}

/** `Idempotent-Replayed` on the answers of an idempotent route that may be replays. */
export function replayedHeader(): HeaderObject {
  return {
    description:
      'true on a replay: the stored answer to an earlier request with the same Idempotency-Key and body, byte for byte; the handler did not run again.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  };
}

/** The headers of every answer to a Laravel Precognition request. */
export function precognitionHeaders(required: boolean): Record<string, HeaderObject> {
  return {
    Precognition: {
      description: 'true on every answer to a Precognition request.',
      required,
      schema: { type: 'string', enum: ['true'] },
    },
    Vary: {
      description: 'Includes Precognition on every answer to a Precognition request.',
      required,
      schema: { type: 'string', pattern: '(^|[ ,])Precognition($|[ ,])' },
    },
  };
}
