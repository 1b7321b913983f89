import { ExpiringMap } from '../shared/expiring-map.js';
import type {
  ConsumeResult,
  RateLimitStore,
  WindowCheck,
  WindowState,
} from './rate-limit.types.js';

/**
 * Fixed-window counters in memory. O(number of windows) per request whatever the traffic, no
 * timers, and O(1) per counter at capacity: each counter expires with its window and is dropped
 * as new windows start (counters of one window length expire in the order they started), and
 * past `maxCounters` the counter whose window ends soonest is forgotten, without scanning the
 * others, so memory stays bounded.
 *
 * A counter is a slot in typed arrays (its count, its reset time and its place in the expiry
 * order), found through a map from its key.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  /** Counter key → count in the current window, expiring when the window resets. */
  private readonly counters: ExpiringMap<number>;
  /** The current request's view of each check (a new window counts 0 until admitted). */
  private seenCounts = new Float64Array(8);
  private seenResets = new Float64Array(8);

  /** @param maxCounters counters held at most (default 1_000_000) */
  constructor(maxCounters?: number);
  /**
   * @deprecated `sweepEveryMs` does nothing: nothing sweeps, expired entries are dropped as new
   * ones arrive. Pass `maxCounters` alone.
   */
  constructor(maxCounters: number | undefined, sweepEveryMs: number);
  constructor(maxCounters = 1_000_000, _sweepEveryMs?: number) {
    this.counters = new ExpiringMap(maxCounters);
  }

  /** How many counters are held (for tests and metrics). */
  get size(): number {
    return this.counters.size;
  }

  consume(checks: readonly WindowCheck[], now: number): ConsumeResult {
    return this.consumeNow(checks, now);
  }

  peek(checks: readonly WindowCheck[], now: number): WindowState[] {
    const counters = this.counters;
    return checks.map((check) => {
      const slot = counters.find(check.key, now);
      const count = slot === -1 ? 0 : counters.valueAt(slot);
      return {
        limit: check.limit,
        remaining: Math.max(0, check.limit - count),
        resetAt: slot === -1 ? now + check.ttlMs : counters.expiresAt(slot),
      };
    });
  }

  /** The decision, synchronously (the Redis store's fallback calls it too). */
  consumeNow(checks: readonly WindowCheck[], now: number): ConsumeResult {
    const counters = this.counters;
    const n = checks.length;
    if (n > this.seenCounts.length) {
      this.seenCounts = new Float64Array(n);
      this.seenResets = new Float64Array(n);
    }
    const seenCounts = this.seenCounts;
    const seenResets = this.seenResets;
    let admitted = true;
    for (let i = 0; i < n; i++) {
      const check = checks[i];
      const slot = counters.find(check.key, now);
      if (slot === -1) {
        seenCounts[i] = 0;
        seenResets[i] = now + check.ttlMs;
      } else {
        seenCounts[i] = counters.valueAt(slot);
        seenResets[i] = counters.expiresAt(slot);
      }
      if (seenCounts[i] + 1 > check.limit) admitted = false;
    }
    const windows: WindowState[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const check = checks[i];
      let count = seenCounts[i];
      if (admitted) {
        count += 1;
        // Looked up again: starting the previous check's window may have moved slots.
        const slot = counters.find(check.key, now);
        if (slot !== -1) counters.replaceAt(slot, count);
        else counters.set(check.key, count, seenResets[i], now, check.ttlMs);
      }
      windows[i] = {
        limit: check.limit,
        remaining: Math.max(0, check.limit - count),
        resetAt: seenResets[i],
      };
    }
    return { admitted, windows };
  }
}
