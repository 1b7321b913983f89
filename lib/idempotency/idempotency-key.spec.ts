import { describe, expect, it } from '@jest/globals';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it.each([
    ['abc', 'abc'],
    ['"abc"', 'abc'],
    ['order-2026:11.22_x', 'order-2026:11.22_x'],
    ['k'.repeat(255), 'k'.repeat(255)],
    [' spaced ', 'spaced'],
  ])('accepts %j as %j', (header, key) => {
    expect(parseIdempotencyKey(header)).toBe(key);
  });

  it.each([
    undefined,
    '',
    '""',
    'k'.repeat(256),
    'has space',
    'semi;colon',
    '"unterminated',
    'é',
    '__proto__{}',
    ['a', 'b'],
  ])('rejects %j', (header) => {
    expect(parseIdempotencyKey(header as string | undefined)).toBeUndefined();
  });
});

describe('requestFingerprint', () => {
  it('ignores the order of object keys, at every depth', () => {
    expect(
      requestFingerprint('POST', '/v1/bookings', { a: 1, b: { c: 2, d: [1, { e: 1, f: 2 }] } }),
    ).toBe(
      requestFingerprint('POST', '/v1/bookings', { b: { d: [1, { f: 2, e: 1 }], c: 2 }, a: 1 }),
    );
  });

  it('tells bodies, methods and routes apart', () => {
    const base = requestFingerprint('POST', '/v1/bookings', { a: 1 });
    expect(requestFingerprint('POST', '/v1/bookings', { a: 2 })).not.toBe(base);
    expect(requestFingerprint('PATCH', '/v1/bookings', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/other', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/bookings', [1, 2])).not.toBe(
      requestFingerprint('POST', '/v1/bookings', [2, 1]),
    );
  });

  it('treats __proto__ as a plain key', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    expect(() => requestFingerprint('POST', '/x', hostile)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // Issue #13, item 7: sorting wrote sorted['__proto__'], which set a prototype instead of a
  // key, so a body differing only inside __proto__ replayed another request's response.
  it('sees every own key, __proto__ and constructor included', () => {
    const of = (json: string) => requestFingerprint('POST', '/x', JSON.parse(json));
    expect(of('{"a":1,"__proto__":{"x":1}}')).not.toBe(of('{"a":1,"__proto__":{"x":2}}'));
    expect(of('{"a":1,"__proto__":{"x":1}}')).not.toBe(of('{"a":1}'));
    expect(of('{"a":{"__proto__":[1]}}')).not.toBe(of('{"a":{"__proto__":[2]}}'));
    expect(of('{"constructor":{"prototype":{"y":1}}}')).not.toBe(
      of('{"constructor":{"prototype":{"y":2}}}'),
    );
    expect(of('{"b":1,"__proto__":{"x":1}}')).toBe(of('{"__proto__":{"x":1},"b":1}'));
  });
});
