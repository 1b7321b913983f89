import { describe, expect, it } from '@jest/globals';
import { reservedKeyErrors } from './reserved-keys.js';

describe('reservedKeyErrors', () => {
  it('finds own __proto__ and constructor keys at every depth, at their paths, in order', () => {
    const body = JSON.parse(
      '{"a":1,"__proto__":{"x":1},"customer":{"constructor":{"prototype":{}}},"items":[{"__proto__":[]}]}',
    );
    expect(reservedKeyErrors(body, 100)).toEqual([
      {
        path: '__proto__',
        message: 'property __proto__ should not exist',
        constraint: 'whitelistValidation',
      },
      {
        path: 'customer.constructor',
        message: 'property customer.constructor should not exist',
        constraint: 'whitelistValidation',
      },
      {
        path: 'items.0.__proto__',
        message: 'property items.0.__proto__ should not exist',
        constraint: 'whitelistValidation',
      },
    ]);
  });

  it('finds nothing in ordinary values, and stops at the limit', () => {
    expect(reservedKeyErrors({ a: [1, { b: 'constructor' }] }, 100)).toEqual([]);
    expect(reservedKeyErrors('__proto__', 100)).toEqual([]);
    const many = JSON.parse(`[${Array.from({ length: 10 }, () => '{"__proto__":1}').join(',')}]`);
    expect(reservedKeyErrors(many, 3)).toHaveLength(3);
  });
});
