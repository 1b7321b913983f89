import { describe, expect, it } from '@jest/globals';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('formats each millisecond it is asked, repeated or not', () => {
    for (const ms of [0, 0, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_124, 5]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
