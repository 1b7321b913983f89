import { describe, expect, it } from '@jest/globals';
import {
  ApiErrorsConfigError,
  booleanOption,
  headerNameOption,
  implementsOption,
  integerOption,
} from './option-checks.js';
import { expectRejected } from '../../test/support/config-error.js';

describe('option checks', () => {
  it('names the option, the problem and the fix', () => {
    expect(new ApiErrorsConfigError('a.b', 'is 0', 'Use 1.').message).toBe(
      'nest-api-errors: option "a.b" is 0. Use 1.',
    );
  });

  it('takes whole numbers from the minimum up, and the fallback when absent', () => {
    expect(integerOption('n', undefined, 7)).toBe(7);
    expect(integerOption('n', 0, 7)).toBe(0);
    expect(integerOption('n', 1, 7, 1)).toBe(1);
    for (const bad of [-1, 1.5, Number.NaN, Infinity, '3' as unknown as number]) {
      expectRejected(() => integerOption('n', bad, 7), 'n');
    }
    expectRejected(() => integerOption('n', 0, 7, 1), 'n');
    expect(() => integerOption('n', 0, 7, 1)).toThrow('Use a whole number, 1 or more.');
  });

  it('takes header names (RFC 9110 tokens) only', () => {
    expect(headerNameOption('h', undefined, 'X-Id')).toBe('X-Id');
    expect(headerNameOption('h', 'X-Request-Id', 'X-Id')).toBe('X-Request-Id');
    for (const bad of ['', 'X Id', 'X:Id', 'é', 5 as unknown as string]) {
      expectRejected(() => headerNameOption('h', bad, 'X-Id'), 'h');
    }
  });

  it('takes booleans only', () => {
    expect(booleanOption('b', undefined, true)).toBe(true);
    expect(booleanOption('b', false, true)).toBe(false);
    expectRejected(() => booleanOption('b', 'yes' as unknown as boolean, false), 'b');
  });

  it('checks that an object has every method', () => {
    const store = { get: () => 1, set: () => 2 };
    expect(implementsOption('s', store, ['get', 'set'], 'Fix.')).toBe(store);
    expectRejected(() => implementsOption('s', { get: () => 1 }, ['get', 'set'], 'Fix.'), 's');
    expect(() => implementsOption('s', { get: 1 }, ['get'], 'Fix.')).toThrow('has no get() method');
    expectRejected(() => implementsOption('s', null, ['get'], 'Fix.'), 's');
  });
});
