import type { WindowState } from './rate-limit.types.js';

/** A decided window with its name and length, as headers describe it. */
export interface NamedWindowState extends WindowState {
  readonly name: string;
  readonly ttlMs: number;
}

/**
 * The window the X-RateLimit-* headers describe: the lowest remaining; a tie goes to the
 * shortest window.
 */
export function mostConstraining<T extends NamedWindowState>(windows: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const window of windows) {
    if (
      !best ||
      window.remaining < best.remaining ||
      (window.remaining === best.remaining && window.ttlMs < best.ttlMs)
    ) {
      best = window;
    }
  }
  return best;
}

/** Whole seconds (≥ 1) until every window that rejected the request admits one again. */
export function retryAfterSeconds(windows: readonly WindowState[], now: number): number {
  let until = now;
  for (const window of windows) {
    if (window.remaining === 0) until = Math.max(until, window.resetAt);
  }
  return Math.max(1, Math.ceil((until - now) / 1000));
}

/** `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix epoch seconds) of one window. */
export function legacyHeaders(window: WindowState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(window.limit),
    'X-RateLimit-Remaining': String(Math.max(0, window.remaining)),
    'X-RateLimit-Reset': String(Math.ceil(window.resetAt / 1000)),
  };
}

/** A Structured Field string (RFC 8941 §3.3.3) for a policy name. */
function sfString(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => '\\' + c)}"`;
}

/**
 * `RateLimit-Policy` and `RateLimit` of draft-ietf-httpapi-ratelimit-headers-09: one item per
 * window, `q` (quota), `w` (window, seconds), `r` (remaining) and `t` (seconds to reset). No
 * partition key is sent, so no key or organization id leaves the server.
 */
export function ietfHeaders(
  windows: readonly NamedWindowState[],
  now: number,
): Record<string, string> {
  return {
    'RateLimit-Policy': windows
      .map((w) => `${sfString(w.name)};q=${w.limit};w=${Math.max(1, Math.ceil(w.ttlMs / 1000))}`)
      .join(', '),
    RateLimit: windows
      .map(
        (w) =>
          `${sfString(w.name)};r=${Math.max(0, w.remaining)};t=${Math.max(0, Math.ceil((w.resetAt - now) / 1000))}`,
      )
      .join(', '),
  };
}
