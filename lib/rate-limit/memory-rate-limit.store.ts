import type {
  ConsumeResult,
  RateLimitStore,
  WindowCheck,
  WindowState,
} from './rate-limit.types.js';

interface Counter {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters in memory. O(number of windows) per request whatever the traffic, no
 * timers: expired counters are swept as requests arrive (at most once per `sweepEveryMs`), and
 * past `maxCounters` the oldest are forgotten, so memory stays bounded.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private nextSweep = 0;

  constructor(
    private readonly maxCounters = 1_000_000,
    private readonly sweepEveryMs = 10_000,
  ) {}

  /** How many counters are held (for tests and metrics). */
  get size(): number {
    return this.counters.size;
  }

  consume(checks: readonly WindowCheck[], now: number): ConsumeResult {
    return this.consumeNow(checks, now);
  }

  /** The decision, synchronously (the Redis store's fallback calls it too). */
  consumeNow(checks: readonly WindowCheck[], now: number): ConsumeResult {
    if (now >= this.nextSweep) this.sweep(now);
    const current: Counter[] = new Array(checks.length);
    let admitted = true;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i];
      let counter = this.counters.get(check.key);
      if (!counter || counter.resetAt <= now) counter = { count: 0, resetAt: now + check.ttlMs };
      current[i] = counter;
      if (counter.count + 1 > check.limit) admitted = false;
    }
    const windows: WindowState[] = new Array(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const counter = current[i];
      if (admitted) {
        counter.count++;
        this.remember(checks[i].key, counter);
      }
      windows[i] = {
        limit: checks[i].limit,
        remaining: Math.max(0, checks[i].limit - counter.count),
        resetAt: counter.resetAt,
      };
    }
    return { admitted, windows };
  }

  private remember(key: string, counter: Counter): void {
    if (this.counters.get(key) === counter) return;
    this.counters.delete(key);
    if (this.counters.size >= this.maxCounters) {
      this.counters.delete(this.counters.keys().next().value as string);
    }
    this.counters.set(key, counter);
  }

  private sweep(now: number): void {
    this.nextSweep = now + this.sweepEveryMs;
    for (const [key, counter] of this.counters) {
      if (counter.resetAt <= now) this.counters.delete(key);
    }
  }
}
