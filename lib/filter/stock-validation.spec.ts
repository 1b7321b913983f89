import { describe, expect, it } from '@jest/globals';
import { fromStockValidationResponse } from './stock-validation.js';

describe('fromStockValidationResponse', () => {
  it("reads the 'list' format, taking each message's leading path", () => {
    const result = fromStockValidationResponse({
      message: [
        'customer.phone must be a string',
        'items.0.sku should not be empty',
        'Further validation errors were omitted',
      ],
      error: 'Bad Request',
      statusCode: 400,
    });
    expect(result).toEqual({
      fieldErrors: [
        { path: 'customer.phone', message: 'customer.phone must be a string' },
        { path: 'items.0.sku', message: 'items.0.sku should not be empty' },
      ],
      omitted: 1,
    });
  });

  it("reads the 'grouped' format and names the full path in each message", () => {
    const result = fromStockValidationResponse({
      message: {
        'customer.phone': ['phone must be a string'],
        name: ['name should not be empty'],
        '...': ['x'],
      },
    });
    expect(result).toEqual({
      fieldErrors: [
        { path: 'customer.phone', message: 'customer.phone must be a string' },
        { path: 'name', message: 'name should not be empty' },
      ],
      omitted: 1,
    });
  });

  it('bounds the number of field errors', () => {
    const message = Array.from({ length: 500 }, (_, i) => `f${i} is wrong`);
    const result = fromStockValidationResponse({ message }, 100);
    expect(result?.fieldErrors).toHaveLength(100);
    expect(result?.omitted).toBe(400);
  });

  it.each([
    { message: 'plain' },
    { message: [] },
    { message: [1, 2] },
    { message: { a: 'x' } },
    'text',
    null,
  ])('ignores %j', (response) => {
    expect(fromStockValidationResponse(response)).toBeUndefined();
  });
});
