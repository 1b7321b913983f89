import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import {
  ERROR_DOCUMENT_DEFAULTS,
  resolveErrorDocumentOptions,
  resolveErrorsPageOptions,
} from './openapi.options.js';

describe('resolveErrorDocumentOptions', () => {
  it('takes the defaults, frozen', () => {
    const resolved = resolveErrorDocumentOptions();
    expect(resolved).toEqual({
      customFormatSchema: {},
      apiKeySchemeName: 'ApiKey',
      bearerSchemeName: 'Bearer',
      exampleRequestId: ERROR_DOCUMENT_DEFAULTS.exampleRequestId,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('keeps what is given', () => {
    const schema = { type: 'object' };
    expect(
      resolveErrorDocumentOptions({
        customFormatSchema: schema,
        apiKeySchemeName: 'key',
        bearerSchemeName: 'token',
        exampleRequestId: 'req.1',
      }),
    ).toEqual({
      customFormatSchema: schema,
      apiKeySchemeName: 'key',
      bearerSchemeName: 'token',
      exampleRequestId: 'req.1',
    });
  });

  it.each([
    [{ apiKeySchemeName: 'api key' }, 'apiKeySchemeName'],
    [{ bearerSchemeName: '' }, 'bearerSchemeName'],
    [{ apiKeySchemeName: 'Same', bearerSchemeName: 'Same' }, 'bearerSchemeName'],
    [{ exampleRequestId: 'no spaces allowed' }, 'exampleRequestId'],
    [{ exampleRequestId: 'x'.repeat(129) }, 'exampleRequestId'],
    [{ customFormatSchema: [] }, 'customFormatSchema'],
    [{ customFormatSchema: 'object' }, 'customFormatSchema'],
  ])('refuses %j, naming %s', (options, option) => {
    expectRejected(() => resolveErrorDocumentOptions(options as never), option);
  });
});

describe('resolveErrorsPageOptions', () => {
  it('adds the title and base URL, without a trailing slash', () => {
    expect(resolveErrorsPageOptions({ baseUrl: 'https://api.example.com/' })).toMatchObject({
      title: 'Errors',
      baseUrl: 'https://api.example.com',
    });
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ title: 'two\nlines' }, 'title'],
    [{ baseUrl: '/relative' }, 'baseUrl'],
  ])('refuses %j, naming %s', (options, option) => {
    expectRejected(() => resolveErrorsPageOptions(options), option);
  });
});
