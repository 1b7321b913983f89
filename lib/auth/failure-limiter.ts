import { ExpiringMap } from '../shared/expiring-map.js';

/**
 * Counts failed authentications per client IP in fixed windows. Past the limit, the IP is
 * turned away until its window ends. Memory is bounded and every call costs O(1) at capacity,
 * even with a new address on every request (rotating X-Forwarded-For hops, IPv6): expired
 * windows are dropped oldest first as new ones start, and past `maxTracked` addresses the
 * window that ends soonest is forgotten, without scanning the others.
 */
export class FailureLimiter {
  /** Failures counted in each IP's current window, expiring when the window ends. */
  private readonly windows: ExpiringMap<number>;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    maxTracked = 100_000,
  ) {
    this.windows = new ExpiringMap(maxTracked);
  }

  /** How many addresses are tracked (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /** Whole seconds until `ip` may try again (≥ 1), or 0 when it may now. */
  blockedFor(ip: string): number {
    const now = this.now();
    const slot = this.windows.find(ip, now);
    if (slot === -1 || this.windows.valueAt(slot) < this.limit) return 0;
    return Math.max(1, Math.ceil((this.windows.expiresAt(slot) - now) / 1000));
  }

  recordFailure(ip: string): void {
    const now = this.now();
    const slot = this.windows.find(ip, now);
    if (slot !== -1) this.windows.replaceAt(slot, this.windows.valueAt(slot) + 1);
    else this.windows.set(ip, 1, now + this.windowMs, now);
  }
}
