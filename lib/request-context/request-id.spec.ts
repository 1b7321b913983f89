import { describe, expect, it } from '@jest/globals';
import { acceptRequestId, generateRequestId } from './request-id.js';

describe('request ids', () => {
  it('generates req_ and 32 hex digits, unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, generateRequestId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it.each(['a', 'req-123456', 'A.b_c-9', 'x'.repeat(128)])('keeps the valid id %s', (id) => {
    expect(acceptRequestId(id)).toBe(id);
  });

  it.each([undefined, '', 'x'.repeat(129), 'a b', 'a/b', 'é', ['a', 'b'], 'a\nb'])(
    'replaces %j',
    (id) => {
      expect(acceptRequestId(id)).toMatch(/^req_[0-9a-f]{32}$/);
    },
  );
});
