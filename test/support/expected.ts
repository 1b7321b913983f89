import type { ErrorFormatName } from 'nest-api-errors';
import { STATUS_PHRASES, type ExpectedError } from './harness.js';

// How the common errors read, spelled out once for every suite (never derived from lib/).

export const NOT_FOUND: ExpectedError = {
  code: 'not_found',
  status: 404,
  title: 'Not Found',
  nestedCode: 'RESOURCE_NOT_FOUND',
  problemType: 'not_found',
  message: 'Resource not found',
};

export const METHOD_NOT_ALLOWED: ExpectedError = {
  code: 'method_not_allowed',
  status: 405,
  title: 'Method Not Allowed',
  nestedCode: 'METHOD_NOT_ALLOWED',
  problemType: 'method_not_allowed',
  message: 'Method not allowed for this resource',
};

export const INTERNAL: ExpectedError = {
  code: 'internal_error',
  status: 500,
  title: 'Internal Server Error',
  nestedCode: 'PROCESSING_ERROR',
  problemType: 'server_error',
  message: 'An internal error occurred',
  laravel: { message: 'Server Error' },
};

export const UNAUTHORIZED: ExpectedError = {
  code: 'unauthorized',
  status: 401,
  title: 'Unauthorized',
  nestedCode: 'INVALID_API_KEY',
  problemType: 'authentication_error',
  message: 'Invalid or missing API key',
};

export const TOO_MANY: ExpectedError = {
  code: 'rate_limit_exceeded',
  status: 429,
  title: 'Too Many Requests',
  nestedCode: 'RATE_LIMIT_EXCEEDED',
  problemType: 'rate_limit_error',
  message: 'Rate limit exceeded',
  laravel: { message: 'Too Many Attempts.' },
};

export const FORBIDDEN = (message: string): ExpectedError => ({
  code: 'forbidden',
  status: 403,
  title: 'Forbidden',
  nestedCode: 'INSUFFICIENT_PERMISSIONS',
  problemType: 'permission_error',
  message,
});

export const CONFLICT = (message: string): ExpectedError => ({
  code: 'conflict',
  status: 409,
  title: 'Conflict',
  nestedCode: 'CONFLICT',
  problemType: 'conflict_error',
  message,
});

export const BAD_REQUEST = (message: string): ExpectedError => ({
  code: 'bad_request',
  status: 400,
  title: 'Bad Request',
  nestedCode: 'INVALID_REQUEST',
  problemType: 'bad_request',
  message,
});

/** The exact body of a validation failure with `fields` (in order) in `format`. */
export function validationBody(
  format: ErrorFormatName,
  fields: [string, string, string][],
  requestId: string,
  status = 422,
  omitted = 0,
) {
  // A Map, then own properties: paths may be `__proto__` or `constructor`.
  const grouped = new Map<string, string[]>();
  for (const [path, message] of fields) grouped.set(path, [...(grouped.get(path) ?? []), message]);
  const map = Object.fromEntries(grouped);
  const more = fields.length - 1 + omitted;
  const summary =
    more > 0 ? `${fields[0][1]} (and ${more} more error${more === 1 ? '' : 's'})` : fields[0][1];
  switch (format) {
    case 'flat':
      return { error: 'validation_error', status, errors: map };
    case 'problem':
      return {
        type: 'about:blank',
        title: STATUS_PHRASES[status],
        status,
        detail: summary,
        instance: requestId,
        code: 'validation_error',
        errors: fields.map(([, message, pointer]) => ({ pointer, detail: message })),
      };
    case 'nested':
      return {
        error: {
          code: 'VALIDATION_ERROR',
          message: summary,
          details: { field: fields[0][0], reason: fields[0][1] },
          errors: map,
        },
        request_id: requestId,
      };
    case 'laravel':
      return { message: summary, errors: map };
  }
}
