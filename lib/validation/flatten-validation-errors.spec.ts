import { describe, expect, it } from '@jest/globals';
import {
  flattenValidationErrors,
  messageWithPath,
  type ValidationErrorLike,
} from './flatten-validation-errors.js';

/** A failing leaf; `value` may be given as undefined (a missing property). */
const leaf = (
  property: string,
  constraints: Record<string, string>,
  ...value: [unknown?]
): ValidationErrorLike => ({ property, value: value.length > 0 ? value[0] : 'x', constraints });
const node = (property: string, children: ValidationErrorLike[]): ValidationErrorLike => ({
  property,
  value: {},
  children,
});

describe('flattenValidationErrors', () => {
  it('joins nested objects with dots and names the full path in each message', () => {
    const { fieldErrors } = flattenValidationErrors([
      node('customer', [leaf('phone', { isString: 'phone must be a string' }, 5)]),
    ]);
    expect(fieldErrors).toEqual([
      {
        path: 'customer.phone',
        message: 'customer.phone must be a string',
        constraint: 'isString',
      },
    ]);
  });

  it('uses indexes for arrays, arrays of arrays and objects inside arrays', () => {
    const { fieldErrors } = flattenValidationErrors([
      node('items', [node('0', [leaf('sku', { isNotEmpty: 'sku should not be empty' }, '')])]),
      node('matrix', [node('1', [leaf('0', { isInt: '0 must be an integer number' }, 1.5)])]),
      node('items', [
        node('2', [
          node('options', [leaf('color', { isIn: 'color must be one of: red, blue' }, 'pink')]),
        ]),
      ]),
    ]);
    expect(fieldErrors.map(({ path, message }) => [path, message])).toEqual([
      ['items.0.sku', 'items.0.sku should not be empty'],
      ['matrix.1.0', 'matrix.1.0 must be an integer number'],
      ['items.2.options.color', 'items.2.options.color must be one of: red, blue'],
    ]);
  });

  it('gives every failing constraint its own message', () => {
    const { fieldErrors } = flattenValidationErrors([
      leaf(
        'limit',
        { isInt: 'limit must be an integer number', min: 'limit must not be less than 1' },
        NaN,
      ),
    ]);
    expect(fieldErrors.map((e) => e.constraint)).toEqual(['isInt', 'min']);
  });

  it("leads with the value's kind, whatever order the decorators ran in", () => {
    const { fieldErrors } = flattenValidationErrors([
      leaf(
        'limit',
        {
          max: 'limit must not be greater than 100',
          min: 'limit must not be less than 1',
          isInt: 'limit must be an integer number',
        },
        NaN,
      ),
      leaf('name', { maxLength: 'name is too long', isString: 'name must be a string' }, 5),
      leaf('size', { max: 'size must not be greater than 9', min: 'size is too small' }, 10),
    ]);
    expect(fieldErrors.map((e) => e.constraint)).toEqual([
      'isInt',
      'max',
      'min',
      'isString',
      'maxLength',
      'max',
      'min',
    ]);
  });

  it('reports a missing value once, as required', () => {
    const { fieldErrors } = flattenValidationErrors([
      node('customer', [
        leaf(
          'phone',
          { isString: 'phone must be a string', matches: 'phone must match' },
          undefined,
        ),
      ]),
    ]);
    expect(fieldErrors).toEqual([
      {
        path: 'customer.phone',
        message: 'The customer.phone field is required.',
        constraint: 'required',
      },
    ]);
  });

  it('never takes a failing value with children for a missing one (Nest deletes its value)', () => {
    const { fieldErrors } = flattenValidationErrors([
      {
        property: 'items',
        constraints: { isArray: 'items must be an array' },
        children: [leaf('sku', { isString: 'sku must be a string' }, 5)],
      },
    ]);
    expect(fieldErrors.map(({ path, message }) => [path, message])).toEqual([
      ['items', 'items must be an array'],
      ['items.sku', 'items.sku must be a string'],
    ]);
  });

  it('puts non-whitelisted properties at their own path', () => {
    const { fieldErrors } = flattenValidationErrors([
      node('customer', [
        leaf('extra', { whitelistValidation: 'property extra should not exist' }, undefined),
      ]),
    ]);
    expect(fieldErrors).toEqual([
      {
        path: 'customer.extra',
        message: 'property customer.extra should not exist',
        constraint: 'whitelistValidation',
      },
    ]);
  });

  it('keeps custom messages that do not start with the property', () => {
    expect(messageWithPath('Pick a colour', 'color', 'items.0.color')).toBe('Pick a colour');
    expect(messageWithPath('color is odd', 'color', 'color')).toBe('color is odd');
  });

  it('stops at the limit and counts what it left out', () => {
    const errors = Array.from({ length: 10_000 }, (_, i) =>
      node(String(i), [
        leaf('sku', { isString: 'sku must be a string' }, 1),
        leaf('qty', { min: 'qty must not be less than 1' }, 0),
      ]),
    );
    const { fieldErrors, omitted } = flattenValidationErrors([node('items', errors)], 100);
    expect(fieldErrors).toHaveLength(100);
    expect(omitted).toBe(19_900);
    expect(fieldErrors[99].path).toBe('items.49.qty');
  });

  it('walks a tree 20,000 levels deep without overflowing the stack', () => {
    let tree: ValidationErrorLike = leaf('leaf', { isString: 'leaf must be a string' }, 1);
    for (let i = 0; i < 20_000; i++) tree = node('n', [tree]);
    const { fieldErrors } = flattenValidationErrors([tree]);
    expect(fieldErrors).toHaveLength(1);
    expect(fieldErrors[0].path.split('.')).toHaveLength(20_001);
  });
});
