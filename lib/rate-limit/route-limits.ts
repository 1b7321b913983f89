import type { Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { THROTTLER_LIMIT, THROTTLER_SKIP, THROTTLER_TTL } from './rate-limit.decorators.js';
import type { ResolvedRateLimitOptions } from './rate-limit.options.js';
import type { RateLimitScope, RateLimitWindow, RouteWindow } from './rate-limit.types.js';

/** What rate limiting does on one handler. */
export interface RouteLimits {
  /** `@SkipRateLimit()` / `@SkipThrottle()` turned every window off. */
  readonly skip: boolean;
  /** Key and organization windows, for requests with a principal. */
  readonly principalWindows: readonly RouteWindow[];
  /** Client-IP windows, for requests without one. */
  readonly ipWindows: readonly RouteWindow[];
}

/**
 * Reads `@SkipRateLimit`/`@SkipThrottle` and `@RateLimit`/`@Throttle` of one handler against the
 * configured windows: what the rate-limit guard counts and what the OpenAPI document describes,
 * from the same metadata.
 */
export function routeLimitsOf(
  reflector: Reflector,
  config: ResolvedRateLimitOptions,
  handler: object,
  controller: object,
): RouteLimits {
  // Reflector reads metadata off any function; it is typed for classes and handlers alike.
  const targets = [handler, controller] as Type<unknown>[];
  const skipped = (name: string) =>
    reflector.getAllAndOverride<boolean>(THROTTLER_SKIP + name, targets) === true;
  const all: [RateLimitScope, readonly RateLimitWindow[]][] = [
    ['key', config.key],
    ['organization', config.organization],
    ['ip', config.ip],
  ];
  const windows: RouteWindow[] = [];
  for (const [scope, list] of all) {
    for (const window of list) {
      if (skipped(window.name)) continue;
      const limit = reflector.getAllAndOverride<number | undefined>(
        THROTTLER_LIMIT + window.name,
        targets,
      );
      const ttl = reflector.getAllAndOverride<number | undefined>(
        THROTTLER_TTL + window.name,
        targets,
      );
      const overridden = limit !== undefined || ttl !== undefined;
      windows.push({
        scope,
        name: window.name,
        label: `${scope}-${window.name}`,
        limit: limit ?? window.limit,
        ttlMs: ttl ?? window.ttl,
        routeKey: overridden
          ? `${(controller as { name: string }).name}.${(handler as { name: string }).name}`
          : undefined,
      });
    }
  }
  // @SkipRateLimit() and @SkipThrottle() mark "default": unless a window has that name, it
  // turns limiting off.
  const skip =
    skipped('default') && !all.some(([, list]) => list.some((w) => w.name === 'default'));
  return {
    skip,
    principalWindows: windows.filter((w) => w.scope !== 'ip'),
    ipWindows: windows.filter((w) => w.scope === 'ip'),
  };
}
