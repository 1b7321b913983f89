import { describe, expect, it } from '@jest/globals';
import { countMapWork } from '../../test/support/map-work.js';
import { FailureLimiter } from './failure-limiter.js';

describe('FailureLimiter', () => {
  it('turns an IP away after `limit` failures until its window ends', () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.blockedFor('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
    }
    expect(limiter.blockedFor('10.0.0.1')).toBe(60);
    expect(limiter.blockedFor('10.0.0.2')).toBe(0);
    now += 59_001;
    expect(limiter.blockedFor('10.0.0.1')).toBe(1);
    now += 999;
    expect(limiter.blockedFor('10.0.0.1')).toBe(0);
    limiter.recordFailure('10.0.0.1');
    expect(limiter.blockedFor('10.0.0.1')).toBe(0);
  });

  it('stays bounded, forgetting the window that ends soonest', () => {
    let now = 0;
    const limiter = new FailureLimiter(1, 60_000, () => now, 100);
    for (let i = 0; i < 1000; i++, now++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
    expect(limiter.blockedFor('10.0.0.0')).toBe(0);
    expect(limiter.blockedFor('10.0.3.231')).toBeGreaterThan(0);
  });

  // Issue #13: at its maximum of tracked addresses, every new address used to scan them all.
  it.each([1_000, 100_000])(
    'costs the same few Map operations per failure from a new address when full (%i), never an iteration',
    (maxTracked) => {
      let now = 0;
      const limiter = new FailureLimiter(100, 60_000, () => now, maxTracked);
      for (let i = 0; i < maxTracked; i++) limiter.recordFailure(`2001:db8::${i.toString(16)}`);
      const failures = 5_000;
      const work = countMapWork(() => {
        for (let i = 0; i < failures; i++) {
          now++;
          const ip = `2001:db8:1::${i.toString(16)}`;
          limiter.blockedFor(ip);
          limiter.recordFailure(ip);
        }
      });
      expect(work.iterationSteps).toBe(0);
      expect(work.operations / failures).toBeLessThanOrEqual(8);
      expect(limiter.size).toBe(maxTracked);
    },
  );
});
