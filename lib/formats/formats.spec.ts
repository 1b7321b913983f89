import { describe, expect, it } from '@jest/globals';
import { ApiException, ApiValidationException } from '../errors/api.exception.js';
import type { ErrorCode } from '../errors/error-catalogue.js';
import { normaliseException } from '../filter/normalise-exception.js';
import { resolveErrorResponseOptions } from '../filter/error-response.options.js';
import type { ErrorFormatContext } from './error-format.js';
import { FORMAT_RENDERERS, type ErrorFormatName } from './index.js';
import { pointerFromPath } from './problem.format.js';

const options = resolveErrorResponseOptions({});

function render(
  format: ErrorFormatName,
  exception: unknown,
  context: Partial<ErrorFormatContext> = {},
) {
  const error = normaliseException(exception, options);
  return FORMAT_RENDERERS[format](error, {
    requestId: 'req-123456',
    includeRequestId: false,
    typeBaseUri: undefined,
    ...context,
  });
}

/** Serialised exactly as the filter sends it. */
const bytes = (format: ErrorFormatName, exception: unknown) =>
  JSON.stringify(render(format, exception).body);

describe('flat format (kynectlocal-errors.txt)', () => {
  it('renders the generic envelope', () => {
    expect(bytes('flat', new ApiException('bad_request'))).toBe(
      '{"error":"bad_request","status":400}',
    );
  });
  it('renders the 401 example', () => {
    expect(bytes('flat', new ApiException('unauthorized'))).toBe(
      '{"error":"unauthorized","status":401}',
    );
  });
  it('renders the feature_not_entitled example with its members at the top level', () => {
    const exception = new ApiException('feature_not_entitled', undefined, {
      extensions: {
        feature: 'api_access',
        isTrial: false,
        upgradeRequired: true,
        requiredTier: 'authority',
      },
    });
    expect(bytes('flat', exception)).toBe(
      '{"error":"feature_not_entitled","status":403,"feature":"api_access","isTrial":false,"upgradeRequired":true,"requiredTier":"authority"}',
    );
  });
  it('renders the 429 example', () => {
    expect(bytes('flat', new ApiException('rate_limit_exceeded'))).toBe(
      '{"error":"rate_limit_exceeded","status":429}',
    );
  });
  it('uses application/json with a UTF-8 charset', () => {
    expect(render('flat', new ApiException('not_found')).contentType).toBe(
      'application/json; charset=utf-8',
    );
  });
});

/**
 * Each example of kordless-errors.txt (the type's name as the page shows it), the title the
 * format adds, and the status phrase an about:blank problem has instead where it differs.
 */
const examples: [unknown, { detail: string; status: number; type: string }, string, string?][] = [
  [
    new ApiValidationException({ startsAt: ['startsAt is required'] }, { status: 400 }),
    { detail: 'startsAt is required', status: 400, type: 'validation_error' },
    'Validation Error',
    'Bad Request',
  ],
  [
    new ApiException('unauthorized'),
    { detail: 'Invalid or missing API key', status: 401, type: 'authentication_error' },
    'Unauthorized',
  ],
  [
    new ApiException('forbidden'),
    { detail: 'Insufficient permissions', status: 403, type: 'permission_error' },
    'Forbidden',
  ],
  [
    new ApiException('not_found', 'Booking not found'),
    { detail: 'Booking not found', status: 404, type: 'not_found' },
    'Not Found',
  ],
  [
    new ApiException('conflict', 'Time slot is no longer available'),
    { detail: 'Time slot is no longer available', status: 409, type: 'conflict_error' },
    'Conflict',
  ],
  [
    new ApiValidationException({ endsAt: ['End time must be after start time'] }),
    { detail: 'End time must be after start time', status: 422, type: 'validation_error' },
    'Validation Error',
    'Unprocessable Content',
  ],
  [
    new ApiException('rate_limit_exceeded', 'Rate limit exceeded. Try again in 30 seconds.'),
    {
      detail: 'Rate limit exceeded. Try again in 30 seconds.',
      status: 429,
      type: 'rate_limit_error',
    },
    'Too Many Requests',
  ],
  [
    new Error('boom'),
    { detail: 'An internal error occurred', status: 500, type: 'server_error' },
    'Internal Server Error',
  ],
  [
    new ApiException('service_unavailable'),
    { detail: 'Service temporarily unavailable', status: 503, type: 'service_unavailable' },
    'Service Unavailable',
  ],
  [
    new ApiException('organization_missing' as never),
    { detail: 'An internal error occurred', status: 500, type: 'server_error' },
    'Internal Server Error',
  ],
];

describe('problem format (kordless-errors.txt, RFC 9457)', () => {
  it.each(examples)(
    'renders reference example %# with its type under typeBaseUri',
    (exception, example, title) => {
      const base = 'https://api.example.com/errors/';
      const { body, contentType } = render('problem', exception, { typeBaseUri: base });
      const { errors: _errors, ...rest } = body as Record<string, unknown>;
      expect(rest).toEqual({
        ...example,
        type: base + example.type,
        title,
        instance: 'req-123456',
      });
      expect(contentType).toBe('application/problem+json');
    },
  );

  it.each(examples)(
    'renders reference example %# as about:blank, its type in code, without typeBaseUri',
    (exception, example, title, blankTitle = title) => {
      const { body } = render('problem', exception);
      const { errors: _errors, ...rest } = body as Record<string, unknown>;
      expect(rest).toEqual({
        ...example,
        type: 'about:blank',
        title: blankTitle,
        code: example.type,
        instance: 'req-123456',
      });
    },
  );

  it('orders members as RFC 9457 lists them', () => {
    expect(bytes('problem', new ApiException('not_found', 'Booking not found'))).toBe(
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Booking not found","instance":"req-123456","code":"not_found"}',
    );
  });

  it('lists field errors as JSON pointers, escaped per RFC 6901', () => {
    const { body } = render(
      'problem',
      new ApiValidationException({
        'customer.phone': ['customer.phone is required'],
        'a~b.c/d': ['odd'],
      }),
    );
    expect((body as { errors: unknown }).errors).toEqual([
      { pointer: '#/customer/phone', detail: 'customer.phone is required' },
      { pointer: '#/a~0b/c~1d', detail: 'odd' },
    ]);
    expect(pointerFromPath('items.0.sku')).toBe('#/items/0/sku');
    expect(pointerFromPath('')).toBe('#');
  });

  it('turns types into absolute URIs with typeBaseUri', () => {
    const { body } = render('problem', new ApiException('forbidden'), {
      typeBaseUri: 'https://e.com/errors/',
    });
    expect((body as { type: string }).type).toBe('https://e.com/errors/permission_error');
  });
});

describe('nested format (konpro-errors.txt)', () => {
  it('renders the reference example byte for byte', () => {
    const exception = new ApiException('bad_request', undefined, {
      details: { field: 'avatar_id', reason: 'Avatar ID is required' },
    });
    expect(bytes('nested', exception)).toBe(
      '{"error":{"code":"INVALID_REQUEST","message":"The request body is invalid","details":{"field":"avatar_id","reason":"Avatar ID is required"}},"request_id":"req-123456"}',
    );
  });
  it.each([
    ['unauthorized', 'INVALID_API_KEY'],
    ['forbidden', 'INSUFFICIENT_PERMISSIONS'],
    ['not_found', 'RESOURCE_NOT_FOUND'],
    ['validation_error', 'VALIDATION_ERROR'],
    ['rate_limit_exceeded', 'RATE_LIMIT_EXCEEDED'],
    ['internal_error', 'PROCESSING_ERROR'],
    ['service_unavailable', 'SERVICE_UNAVAILABLE'],
    ['feature_not_entitled', 'FEATURE_NOT_ENTITLED'],
    ['payload_too_large', 'PAYLOAD_TOO_LARGE'],
  ] as [ErrorCode, string][])('names %s %s', (code, nested) => {
    const { body } = render('nested', new ApiException(code));
    expect((body as { error: { code: string } }).error.code).toBe(nested);
  });
  it('puts the first field in details and the whole map in errors', () => {
    const { body } = render(
      'nested',
      new ApiValidationException({ 'customer.phone': ['a', 'b'], sku: ['c'] }),
    );
    expect(body).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'a (and 2 more errors)',
        details: { field: 'customer.phone', reason: 'a' },
        errors: { 'customer.phone': ['a', 'b'], sku: ['c'] },
      },
      request_id: 'req-123456',
    });
  });
});

describe('laravel format (kanalkanal-errors.txt)', () => {
  it('renders the auth/store example', () => {
    expect(
      bytes('laravel', new ApiException('forbidden', 'API key does not authorize this store')),
    ).toBe('{"error":"API key does not authorize this store"}');
  });
  it('renders the validation example for a missing customer.phone', () => {
    const exception = new ApiValidationException({
      'customer.phone': ['The customer.phone field is required.'],
    });
    expect(bytes('laravel', exception)).toBe(
      '{"message":"The customer.phone field is required.","errors":{"customer.phone":["The customer.phone field is required."]}}',
    );
  });
  it('renders the 429 example whatever the message', () => {
    expect(bytes('laravel', new ApiException('rate_limit_exceeded', 'Slow down'))).toBe(
      '{"message":"Too Many Attempts."}',
    );
  });
  it('renders every 5xx as Server Error', () => {
    expect(bytes('laravel', new ApiException('service_unavailable'))).toBe(
      '{"message":"Server Error"}',
    );
    expect(bytes('laravel', new Error('secret'))).toBe('{"message":"Server Error"}');
  });
  it('adds request_id only when asked', () => {
    const { body } = render('laravel', new ApiException('not_found'), { includeRequestId: true });
    expect(body).toEqual({ error: 'Resource not found', request_id: 'req-123456' });
  });
});
