import { describe, expect, it } from '@jest/globals';
import { ApiException } from '../errors/api.exception.js';
import {
  isListedField,
  listedFailure,
  listedFieldErrors,
  parseValidateOnly,
} from './validate-only.js';

const only = (header: string) => parseValidateOnly(header)!;

describe('parseValidateOnly', () => {
  it('reports every field without the header', () => {
    expect(parseValidateOnly(undefined)).toBeUndefined();
  });

  it('splits at commas, trims, drops blanks and sets wildcards apart', () => {
    const parsed = only(' customer.phone,items.*.sku, ,notes,*');
    expect([...parsed.names]).toEqual(['customer.phone', 'notes']);
    expect(parsed.patterns).toEqual([['items', '*', 'sku'], ['*']]);
  });

  it('reads a repeated header, joined by Node or given as a list', () => {
    expect([...only('notes, customer').names]).toEqual(['notes', 'customer']);
    expect([...parseValidateOnly(['notes', 'customer'])!.names]).toEqual(['notes', 'customer']);
  });

  it('lists no field for a blank header', () => {
    expect(only('')).toEqual({ names: new Set(), patterns: [] });
    expect(isListedField('notes', only(' , '))).toBe(false);
  });
});

describe('isListedField', () => {
  it('matches a field itself and everything nested under it', () => {
    const listed = only('customer,items.1');
    expect(isListedField('customer', listed)).toBe(true);
    expect(isListedField('customer.phone', listed)).toBe(true);
    expect(isListedField('items.1.qty', listed)).toBe(true);
    expect(isListedField('items', listed)).toBe(false);
    expect(isListedField('items.0.sku', listed)).toBe(false);
    expect(isListedField('items.10.sku', listed)).toBe(false);
  });

  it('never matches a mere prefix of a segment', () => {
    const listed = only('item,customer.ph');
    expect(isListedField('items.0.sku', listed)).toBe(false);
    expect(isListedField('customer.phone', listed)).toBe(false);
  });

  it('lets * stand for exactly one segment', () => {
    const listed = only('items.*.sku');
    expect(isListedField('items.0.sku', listed)).toBe(true);
    expect(isListedField('items.12.sku', listed)).toBe(true);
    expect(isListedField('items.0.sku.extra', listed)).toBe(true);
    expect(isListedField('items.0.qty', listed)).toBe(false);
    expect(isListedField('items.sku', listed)).toBe(false);
    expect(isListedField('items', listed)).toBe(false);
  });

  it('matches nested fields under a trailing or leading wildcard', () => {
    expect(isListedField('items.3.qty', only('items.*'))).toBe(true);
    expect(isListedField('items', only('items.*'))).toBe(false);
    expect(isListedField('customer.phone', only('*.phone'))).toBe(true);
    expect(isListedField('anything.at.all', only('*'))).toBe(true);
  });
});

describe('listedFieldErrors', () => {
  it('keeps the listed fields’ errors in their order', () => {
    const errors = [
      { path: 'customer.phone', message: 'a' },
      { path: 'items.0.sku', message: 'b' },
      { path: 'notes', message: 'c' },
      { path: 'items.1.sku', message: 'd' },
    ];
    expect(listedFieldErrors(errors, only('items.*.sku')).map((e) => e.message)).toEqual([
      'b',
      'd',
    ]);
    expect(listedFieldErrors(errors, only('nothing'))).toEqual([]);
  });
});

describe('listedFailure', () => {
  const failure = (omittedFieldErrors = 0) =>
    new ApiException('validation_error', undefined, {
      fieldErrors: [
        { path: 'customer.phone', message: 'a', constraint: 'matches' },
        { path: 'items.0.sku', message: 'b' },
      ],
      omittedFieldErrors,
      status: 400,
      headers: { 'X-Kept': '1' },
    });

  it("keeps the listed fields' errors and everything else the failure carries", () => {
    const kept = listedFailure(failure(), only('customer')) as ApiException;
    expect(kept).toBeInstanceOf(ApiException);
    expect(kept.code).toBe('validation_error');
    expect(kept.extras).toEqual({
      fieldErrors: [{ path: 'customer.phone', message: 'a', constraint: 'matches' }],
      omittedFieldErrors: 0,
      status: 400,
      headers: { 'X-Kept': '1' },
    });
  });

  it('reports nothing when no listed field failed', () => {
    expect(listedFailure(failure(), only('notes'))).toBeUndefined();
  });

  it('keeps a failure with errors past the bound: they may be a listed field’s', () => {
    const kept = listedFailure(failure(3), only('notes')) as ApiException;
    expect(kept.extras.fieldErrors).toEqual([]);
    expect(kept.extras.omittedFieldErrors).toBe(3);
  });

  it('returns a failure left whole as it is, and any other error untouched', () => {
    const whole = failure();
    expect(listedFailure(whole, only('customer,items'))).toBe(whole);
    const other = new ApiException('bad_request');
    expect(listedFailure(other, only('notes'))).toBe(other);
    const thrown = new Error('boom');
    expect(listedFailure(thrown, only('notes'))).toBe(thrown);
  });
});
