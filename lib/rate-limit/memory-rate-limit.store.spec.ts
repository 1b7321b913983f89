import { describe, expect, it } from '@jest/globals';
import { countMapWork } from '../../test/support/map-work.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';

const MINUTE = { key: 'k:minute', limit: 12, ttlMs: 60_000 };
const HOUR = { key: 'k:hour', limit: 200, ttlMs: 3_600_000 };

describe('MemoryRateLimitStore', () => {
  it('admits up to the limit, then rejects until the window ends', () => {
    const store = new MemoryRateLimitStore();
    const t0 = 1_000_000;
    for (let i = 1; i <= 12; i++) {
      const result = store.consumeNow([MINUTE], t0 + i);
      expect(result.admitted).toBe(true);
      expect(result.windows[0]).toEqual({ limit: 12, remaining: 12 - i, resetAt: t0 + 1 + 60_000 });
    }
    expect(store.consumeNow([MINUTE], t0 + 59_999).admitted).toBe(false);
    const next = store.consumeNow([MINUTE], t0 + 60_001);
    expect(next.admitted).toBe(true);
    expect(next.windows[0]).toEqual({ limit: 12, remaining: 11, resetAt: t0 + 60_001 + 60_000 });
  });

  it('is all or nothing: a rejected request counts in no window (188, not 187)', () => {
    const store = new MemoryRateLimitStore();
    let last = store.consumeNow([MINUTE, HOUR], 0);
    for (let i = 2; i <= 13; i++) last = store.consumeNow([MINUTE, HOUR], i);
    expect(last.admitted).toBe(false);
    expect(last.windows.map((w) => w.remaining)).toEqual([0, 188]);
    // Another rejection changes nothing either.
    expect(store.consumeNow([MINUTE, HOUR], 14).windows[1].remaining).toBe(188);
  });

  it('peeks at counters without counting: a window not started reads as full', () => {
    const store = new MemoryRateLimitStore();
    expect(store.peek([MINUTE, HOUR], 5)).toEqual([
      { limit: 12, remaining: 12, resetAt: 5 + 60_000 },
      { limit: 200, remaining: 200, resetAt: 5 + 3_600_000 },
    ]);
    expect(store.size).toBe(0);
    store.consumeNow([MINUTE, HOUR], 10);
    store.consumeNow([MINUTE, HOUR], 20);
    for (let i = 0; i < 3; i++) {
      expect(store.peek([MINUTE, HOUR], 30).map((w) => [w.remaining, w.resetAt])).toEqual([
        [10, 10 + 60_000],
        [198, 10 + 3_600_000],
      ]);
    }
    expect(store.consumeNow([MINUTE], 40).windows[0].remaining).toBe(9);
    // Past the window's end the counter reads as a new window.
    expect(store.peek([MINUTE], 10 + 60_000)[0].remaining).toBe(12);
  });

  it('keeps windows of different keys apart', () => {
    const store = new MemoryRateLimitStore();
    store.consumeNow([{ ...MINUTE, limit: 1 }], 0);
    expect(store.consumeNow([{ ...MINUTE, limit: 1 }], 1).admitted).toBe(false);
    expect(store.consumeNow([{ ...MINUTE, key: 'other', limit: 1 }], 1).admitted).toBe(true);
  });

  it('sweeps expired windows as requests arrive, without timers', () => {
    const store = new MemoryRateLimitStore(1_000_000, 10_000);
    for (let i = 0; i < 1000; i++) store.consumeNow([{ key: `k${i}`, limit: 5, ttlMs: 1000 }], 0);
    expect(store.size).toBe(1000);
    store.consumeNow([{ key: 'late', limit: 5, ttlMs: 1000 }], 20_000);
    expect(store.size).toBe(1);
  });

  it('keeps counting correctly while its arrays grow, and gives memory back after a spike', () => {
    const store = new MemoryRateLimitStore(1_000_000, 1000);
    const capacity = () =>
      (store as unknown as { counters: { capacity: number } }).counters.capacity;
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 5000; i++) {
        const result = store.consumeNow([{ key: `k${i}`, limit: 10, ttlMs: 1000 }], round);
        expect(result.windows[0].remaining).toBe(10 - round);
      }
    }
    expect(store.size).toBe(5000);
    expect(capacity()).toBeGreaterThanOrEqual(5000);
    // Everything expires; the next sweeps shrink the arrays again.
    for (let t = 2000; t < 10_000; t += 1000) store.consumeNow([{ ...MINUTE, limit: 100 }], t);
    expect(store.size).toBe(1);
    expect(capacity()).toBeLessThanOrEqual(2048);
    expect(store.consumeNow([{ ...MINUTE, limit: 100 }], 10_000).windows[0].remaining).toBe(91);
  });

  it('forgets the counter whose window ends soonest when full', () => {
    const store = new MemoryRateLimitStore(2);
    const check = (key: string) => [{ key, limit: 5, ttlMs: 1000 }];
    store.consumeNow(check('a'), 0);
    store.consumeNow(check('b'), 500);
    store.consumeNow(check('a'), 1500); // a's new window starts after b's
    store.consumeNow(check('c'), 1600); // so b is forgotten
    expect(store.consumeNow(check('a'), 1700).windows[0].remaining).toBe(3);
    expect(store.consumeNow(check('b'), 1700).windows[0].remaining).toBe(4);
  });

  it('holds at most maxCounters windows', () => {
    const store = new MemoryRateLimitStore(100);
    for (let i = 0; i < 1000; i++) store.consumeNow([{ key: `k${i}`, limit: 5, ttlMs: 60_000 }], i);
    expect(store.size).toBe(100);
  });

  // Issue #13: eviction took the oldest counter through a Map iterator, which walks the holes
  // that earlier deletions left, and a sweep visited every counter.
  it.each([1_000, 100_000])(
    'costs the same few Map operations per request at capacity (%i), never an iteration',
    (maxCounters) => {
      const store = new MemoryRateLimitStore(maxCounters);
      const windows = (id: string) => [
        { key: `{o}:k:${id}:minute`, limit: 100, ttlMs: 60_000 },
        { key: `{o}:k:${id}:hour`, limit: 1000, ttlMs: 3_600_000 },
        { key: `{o}:o:${id}:day`, limit: 10_000, ttlMs: 86_400_000 },
      ];
      let now = 0;
      for (let i = 0; i < maxCounters / 3; i++) store.consumeNow(windows(`old${i}`), now++);
      const requests = 5_000;
      const work = countMapWork(() => {
        for (let i = 0; i < requests; i++) store.consumeNow(windows(`new${i}`), now++);
      });
      expect(work.iterationSteps).toBe(0);
      expect(work.operations / requests).toBeLessThanOrEqual(3 * 6);
      expect(store.size).toBeLessThanOrEqual(maxCounters);
    },
  );
});
