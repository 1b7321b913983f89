/**
 * Counts failed authentications per client IP in fixed windows. Past the limit, the IP is
 * turned away until its window ends. Memory is bounded: expired entries are swept, and past
 * `maxTracked` addresses the oldest are forgotten.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxTracked = 100_000,
  ) {}

  /** Whole seconds until `ip` may try again (≥ 1), or 0 when it may now. */
  blockedFor(ip: string): number {
    const window = this.windows.get(ip);
    if (!window) return 0;
    const now = this.now();
    if (window.resetAt <= now) {
      this.windows.delete(ip);
      return 0;
    }
    return window.count >= this.limit ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
  }

  recordFailure(ip: string): void {
    const now = this.now();
    const window = this.windows.get(ip);
    if (window && window.resetAt > now) {
      window.count++;
      return;
    }
    this.windows.delete(ip);
    if (this.windows.size >= this.maxTracked) this.sweep(now);
    this.windows.set(ip, { count: 1, resetAt: now + this.windowMs });
  }

  private sweep(now: number): void {
    for (const [ip, window] of this.windows) {
      if (window.resetAt <= now) this.windows.delete(ip);
    }
    // Still full: forget the oldest (Map keeps insertion order).
    for (const ip of this.windows.keys()) {
      if (this.windows.size < this.maxTracked) break;
      this.windows.delete(ip);
    }
  }
}
