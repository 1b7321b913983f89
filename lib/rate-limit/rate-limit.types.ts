/**
 * One window of a limit, in the shape `@nestjs/throttler` uses: at most `limit` requests per
 * `ttl` milliseconds. `name` is what `@Throttle({ [name]: … })` and `@SkipThrottle({ [name]: true })`
 * refer to.
 */
export interface RateLimitWindow {
  readonly name: string;
  readonly limit: number;
  readonly ttl: number;
}

/** Who is counted: the API key, its organization, or (public routes) the client IP. */
export type RateLimitScope = 'key' | 'organization' | 'ip';

/** One counter a request must pass. */
export interface WindowCheck {
  /** Storage key of the counter. */
  readonly key: string;
  readonly limit: number;
  readonly ttlMs: number;
}

/** A counter after a request was decided. */
export interface WindowState {
  readonly limit: number;
  /** Requests still admitted in the current window, ≥ 0. */
  readonly remaining: number;
  /** When the current window ends, epoch ms. */
  readonly resetAt: number;
}

/** The decision over all counters of a request. */
export interface ConsumeResult {
  /** True only if every counter admitted the request; only then was every counter incremented. */
  readonly admitted: boolean;
  /** One state per check, in the order of the checks. */
  readonly windows: readonly WindowState[];
}

/**
 * Where counters live. `consume` is all-or-nothing: the request is admitted only if every
 * counter has room, and a rejected request increments none.
 */
export interface RateLimitStore {
  /** A plain result (in-memory stores) or a promise of one. */
  consume(checks: readonly WindowCheck[], now: number): ConsumeResult | Promise<ConsumeResult>;
  /**
   * The counters as they stand, changing nothing: what a request refused before it was counted
   * (a 403) reports in its headers. One state per check; a counter not yet started is full.
   * Optional: without it such responses carry no rate-limit headers.
   */
  peek?(checks: readonly WindowCheck[], now: number): WindowState[] | Promise<WindowState[]>;
}

/** One window as it applies to one route, after `@RateLimit`/`@Throttle` overrides. */
export interface RouteWindow {
  readonly scope: RateLimitScope;
  /** The configured window's name (`minute`). */
  readonly name: string;
  /** How headers name it: `key-minute`, `organization-day`, `ip-minute`. */
  readonly label: string;
  readonly limit: number;
  readonly ttlMs: number;
  /** Set when `@Throttle` overrides the window: the route then counts on its own. */
  readonly routeKey: string | undefined;
}
