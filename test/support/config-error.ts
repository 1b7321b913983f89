import { expect } from '@jest/globals';
import { ApiErrorsConfigError } from '../../lib/shared/option-checks.js';

/** Expects `resolve` to throw an ApiErrorsConfigError naming `option` (and, if given, `text`). */
export function expectRejected(resolve: () => unknown, option: string, text?: string): void {
  expect(resolve).toThrow(ApiErrorsConfigError);
  expect(resolve).toThrow(`nest-api-errors: option "${option}"`);
  if (text !== undefined) expect(resolve).toThrow(text);
}
