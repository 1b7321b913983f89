import type {
  ConsumeResult,
  RateLimitStore,
  WindowCheck,
  WindowState,
} from './rate-limit.types.js';

const INITIAL_SLOTS = 1024;

/**
 * Fixed-window counters in memory. O(number of windows) per request whatever the traffic, no
 * timers: expired counters are swept as requests arrive (at most once per `sweepEveryMs`), and
 * past `maxCounters` the counter whose window started longest ago is forgotten, so memory stays
 * bounded.
 *
 * A counter is a slot in two typed arrays, found through a map from its key: about 100 bytes
 * per counter with the key, against more than twice that as one object per counter.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  /** Counter key → slot, in the order the counters' windows started. */
  private readonly slots = new Map<string, number>();
  private counts = new Float64Array(INITIAL_SLOTS);
  private resets = new Float64Array(INITIAL_SLOTS);
  /** Slots given back by the sweep or by eviction. */
  private free: number[] = [];
  /** Slots below this have been handed out at some point. */
  private highWater = 0;
  private nextSweep = 0;
  /** The current request's view of each check (a new window counts 0 until admitted). */
  private seenCounts = new Float64Array(8);
  private seenResets = new Float64Array(8);

  constructor(
    private readonly maxCounters = 1_000_000,
    private readonly sweepEveryMs = 10_000,
  ) {}

  /** How many counters are held (for tests and metrics). */
  get size(): number {
    return this.slots.size;
  }

  consume(checks: readonly WindowCheck[], now: number): ConsumeResult {
    return this.consumeNow(checks, now);
  }

  /** The decision, synchronously (the Redis store's fallback calls it too). */
  consumeNow(checks: readonly WindowCheck[], now: number): ConsumeResult {
    if (now >= this.nextSweep) this.sweep(now);
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
      const slot = this.slots.get(check.key);
      if (slot === undefined || this.resets[slot] <= now) {
        seenCounts[i] = 0;
        seenResets[i] = now + check.ttlMs;
      } else {
        seenCounts[i] = this.counts[slot];
        seenResets[i] = this.resets[slot];
      }
      if (seenCounts[i] + 1 > check.limit) admitted = false;
    }
    const windows: WindowState[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const check = checks[i];
      let count = seenCounts[i];
      if (admitted) count = this.increment(check.key, seenResets[i], now);
      windows[i] = {
        limit: check.limit,
        remaining: Math.max(0, check.limit - count),
        resetAt: seenResets[i],
      };
    }
    return { admitted, windows };
  }

  /** Counts one request in the key's window (starting it if needed); returns the new count. */
  private increment(key: string, resetAt: number, now: number): number {
    let slot = this.slots.get(key);
    if (slot !== undefined && this.resets[slot] > now) return ++this.counts[slot];
    if (slot === undefined) {
      slot = this.allocate();
    } else {
      // A new window of a known key: it moves to the back of the eviction order.
      this.slots.delete(key);
    }
    this.slots.set(key, slot);
    this.counts[slot] = 1;
    this.resets[slot] = resetAt;
    return 1;
  }

  private allocate(): number {
    if (this.slots.size >= this.maxCounters) {
      const [oldest, slot] = this.slots.entries().next().value as [string, number];
      this.slots.delete(oldest);
      return slot;
    }
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.highWater === this.counts.length) this.resize(this.counts.length * 2);
    return this.highWater++;
  }

  private sweep(now: number): void {
    this.nextSweep = now + this.sweepEveryMs;
    for (const [key, slot] of this.slots) {
      if (this.resets[slot] <= now) {
        this.slots.delete(key);
        this.free.push(slot);
      }
    }
    // After a spike, give the memory back: renumber the live counters into smaller arrays.
    const capacity = this.counts.length;
    if (capacity > INITIAL_SLOTS && this.slots.size < capacity / 4) this.resize(capacity / 2);
  }

  /** Moves every live counter into arrays of `capacity` slots, numbered from 0. */
  private resize(capacity: number): void {
    const counts = new Float64Array(capacity);
    const resets = new Float64Array(capacity);
    let next = 0;
    for (const [key, slot] of this.slots) {
      counts[next] = this.counts[slot];
      resets[next] = this.resets[slot];
      // Setting an existing key keeps its place in the eviction order.
      this.slots.set(key, next++);
    }
    this.counts = counts;
    this.resets = resets;
    this.free = [];
    this.highWater = next;
  }
}
