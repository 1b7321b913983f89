import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import { resolveErrorResponseOptions } from './error-response.options.js';

describe('resolveErrorResponseOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveErrorResponseOptions({});
    expect(resolved).toMatchObject({
      format: 'flat',
      typeBaseUri: undefined,
      includeRequestId: false,
      exposeInternalErrors: false,
      validation: { status: 422, maxErrors: 100 },
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.catalogue)).toBe(true);
    expect(resolved.catalogue.not_found).toEqual({
      status: 404,
      title: 'Not Found',
      message: 'Resource not found',
    });
  });

  it('adds app codes with a title derived from the code, or their own', () => {
    const { catalogue } = resolveErrorResponseOptions({
      codes: {
        store_paused: { status: 404, message: 'Store is paused' },
        slot_taken: { status: 409, message: 'Taken', title: 'Slot Gone' },
      },
    });
    expect(catalogue.store_paused).toEqual({
      status: 404,
      message: 'Store is paused',
      title: 'Store Paused',
    });
    expect(catalogue.slot_taken.title).toBe('Slot Gone');
  });

  it('keeps a custom format function and the validation status it is given', () => {
    const format = () => ({ status: 400, body: {} });
    const resolved = resolveErrorResponseOptions({ format }, { status: 400, maxErrors: 5 });
    expect(resolved.format).toBe(format);
    expect(resolved.validation).toEqual({ status: 400, maxErrors: 5 });
  });

  it.each([
    [{ format: 'yaml' }, 'format'],
    [{ typeBaseUri: '/relative' }, 'typeBaseUri'],
    [{ includeRequestId: 1 }, 'includeRequestId'],
    [{ exposeInternalErrors: 'true' }, 'exposeInternalErrors'],
    [{ codes: { 'Bad-Name': { status: 400, message: 'x' } } }, 'codes.Bad-Name'],
    [{ codes: { locked: { status: 423.5, message: 'x' } } }, 'codes.locked.status'],
    [{ codes: { locked: { status: 302, message: 'x' } } }, 'codes.locked.status'],
    [{ codes: { locked: null } }, 'codes.locked.status'],
    [{ codes: { locked: { status: 423, message: '' } } }, 'codes.locked.message'],
    [{ codes: { conflict: { status: 409, message: 'x' } } }, 'codes.conflict'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveErrorResponseOptions(options as never), name);
  });
});
