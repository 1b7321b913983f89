import { expect } from '@jest/globals';
import type { ErrorFormatName } from 'nest-api-errors';
import { contentTypeOf, type Reply } from './harness.js';

/** Text that must never reach a client: stack frames, file paths, class names of errors. */
export const LEAK =
  /\n\s+at |node_modules|\.[jt]s:\d|\bTypeError\b|\bRangeError\b|\bSyntaxError\b|\/srv\/|\/work\//;

/**
 * Checks that `reply` is an error in `format`'s contract: a status in 400–599, the format's
 * Content-Type, and a body of the format's shape whose status (where it has one) is the HTTP one.
 */
export function expectErrorShape(format: ErrorFormatName, reply: Reply): void {
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThanOrEqual(599);
  expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
  expect(reply.text).not.toMatch(LEAK);
  const body = reply.json as Record<string, unknown>;
  expect(body).toBeDefined();
  switch (format) {
    case 'flat':
      expect(typeof body.error).toBe('string');
      expect(body.status).toBe(reply.status);
      break;
    case 'problem':
      expect(typeof body.type).toBe('string');
      expect(typeof body.title).toBe('string');
      expect(body.status).toBe(reply.status);
      expect(typeof body.detail).toBe('string');
      expect(typeof body.instance).toBe('string');
      break;
    case 'nested': {
      const error = body.error as Record<string, unknown>;
      expect(error.code).toEqual(expect.stringMatching(/^[A-Z][A-Z0-9_]*$/));
      expect(typeof error.message).toBe('string');
      expect(body.request_id).toBe(reply.headers.get('x-request-id'));
      break;
    }
    case 'laravel':
      expect(typeof (body.error ?? body.message)).toBe('string');
      break;
  }
}
