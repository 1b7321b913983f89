import type { ExpectedError } from './harness.js';

// How the common errors read, spelled out once for every suite (never derived from lib/).

export const NOT_FOUND: ExpectedError = {
  code: 'not_found',
  status: 404,
  title: 'Not Found',
  nestedCode: 'RESOURCE_NOT_FOUND',
  problemType: 'not_found',
  message: 'Resource not found',
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
