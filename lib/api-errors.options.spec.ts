import { describe, expect, it } from '@jest/globals';
import { ApiErrorsConfigError, resolveApiErrorsOptions } from './api-errors.options.js';

describe('resolveApiErrorsOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveApiErrorsOptions();
    expect(resolved).toMatchObject({
      format: 'flat',
      typeBaseUri: undefined,
      includeRequestId: false,
      requestIdHeader: 'X-Request-Id',
      exposeInternalErrors: false,
      bodyContentTypes: ['application/json'],
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.catalogue)).toBe(true);
    expect(resolved.catalogue.not_found).toEqual({
      status: 404,
      title: 'Not Found',
      message: 'Resource not found',
    });
  });

  it('adds app codes with a title derived from the code', () => {
    const { catalogue } = resolveApiErrorsOptions({
      codes: { store_paused: { status: 404, message: 'Store is paused' } },
    });
    expect(catalogue.store_paused).toEqual({
      status: 404,
      message: 'Store is paused',
      title: 'Store Paused',
    });
  });

  it.each([
    [{ format: 'yaml' }, 'format'],
    [{ typeBaseUri: '/relative' }, 'typeBaseUri'],
    [{ requestIdHeader: 'X Id' }, 'requestIdHeader'],
    [{ bodyContentTypes: ['json'] }, 'bodyContentTypes'],
    [{ codes: { 'Bad-Name': { status: 400, message: 'x' } } }, 'codes.Bad-Name'],
    [{ codes: { locked: { status: 423.5, message: 'x' } } }, 'codes.locked.status'],
    [{ codes: { locked: { status: 423, message: '' } } }, 'codes.locked.message'],
    [{ codes: { conflict: { status: 409, message: 'x' } } }, 'codes.conflict'],
    [{ rateLimit: { key: [], redis: { url: 'http://x' } } }, 'rateLimit.redis'],
    [{ idempotency: { redis: {} } }, 'idempotency.redis'],
  ])('rejects %j, naming the option', (options, name) => {
    expect(() => resolveApiErrorsOptions(options as never)).toThrow(ApiErrorsConfigError);
    expect(() => resolveApiErrorsOptions(options as never)).toThrow(`option "${name}"`);
  });
});
