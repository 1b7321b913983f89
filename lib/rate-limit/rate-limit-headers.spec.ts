import { describe, expect, it } from '@jest/globals';
import {
  ietfHeaders,
  legacyHeaders,
  mostConstraining,
  retryAfterSeconds,
} from './rate-limit-headers.js';

const window = (
  name: string,
  ttlMs: number,
  limit: number,
  remaining: number,
  resetAt: number,
) => ({
  name,
  ttlMs,
  limit,
  remaining,
  resetAt,
});

describe('rate-limit headers', () => {
  it('describes the window with the lowest remaining', () => {
    const minute = window('key-minute', 60_000, 100, 40, 60_000);
    const day = window('organization-day', 86_400_000, 10_000, 3, 86_400_000);
    expect(mostConstraining([minute, day])).toBe(day);
  });

  it('breaks a tie in favour of the shortest window', () => {
    const hour = window('key-hour', 3_600_000, 10, 0, 3_600_000);
    const minute = window('key-minute', 60_000, 5, 0, 60_000);
    expect(mostConstraining([hour, minute])).toBe(minute);
  });

  it('writes the reset as Unix epoch seconds', () => {
    expect(legacyHeaders({ limit: 100, remaining: 7, resetAt: 1_714_000_059_200 })).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '7',
      'X-RateLimit-Reset': '1714000060',
    });
  });

  it('waits until every violated window admits again, at least 1 s', () => {
    const now = 1_000_000;
    expect(
      retryAfterSeconds(
        [
          { limit: 5, remaining: 0, resetAt: now + 30_500 },
          { limit: 9, remaining: 0, resetAt: now + 90_000 },
          { limit: 9, remaining: 4, resetAt: now + 500_000 },
        ],
        now,
      ),
    ).toBe(90);
    expect(retryAfterSeconds([{ limit: 1, remaining: 0, resetAt: now + 10 }], now)).toBe(1);
  });

  it('lists every window in the IETF headers, without a partition key', () => {
    const now = 0;
    expect(
      ietfHeaders(
        [
          window('key-minute', 60_000, 12, 0, 45_000),
          window('key-hour', 3_600_000, 200, 188, 3_600_000),
        ],
        now,
      ),
    ).toEqual({
      'RateLimit-Policy': '"key-minute";q=12;w=60, "key-hour";q=200;w=3600',
      RateLimit: '"key-minute";r=0;t=45, "key-hour";r=188;t=3600',
    });
  });
});
