import type { RateLimitWindow } from './rate-limit.types.js';

// The metadata keys of @nestjs/throttler: its @Throttle and @SkipThrottle write these, and so do
// the decorators below, so either set of decorators configures the rate-limit guard.
export const THROTTLER_LIMIT = 'THROTTLER:LIMIT';
export const THROTTLER_TTL = 'THROTTLER:TTL';
export const THROTTLER_SKIP = 'THROTTLER:SKIP';

type Target = object;

function decorate(apply: (target: Target) => void): MethodDecorator & ClassDecorator {
  return ((target: Target, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    apply((descriptor?.value as Target | undefined) ?? target);
    return descriptor ?? target;
  }) as MethodDecorator & ClassDecorator;
}

/**
 * Overrides windows by name on a route or controller; an overridden window is counted for that
 * route on its own. Equivalent to `@Throttle` from `@nestjs/throttler`, which works as well.
 *
 * @example
 * @RateLimit({ minute: { limit: 5, ttl: 60_000 } })
 * @Post('exports')
 * export() { … }
 */
export const RateLimit = (
  windows: Record<string, Partial<Pick<RateLimitWindow, 'limit' | 'ttl'>>>,
): MethodDecorator & ClassDecorator =>
  decorate((target) => {
    for (const [name, { limit, ttl }] of Object.entries(windows)) {
      if (limit !== undefined) Reflect.defineMetadata(THROTTLER_LIMIT + name, limit, target);
      if (ttl !== undefined) Reflect.defineMetadata(THROTTLER_TTL + name, ttl, target);
    }
  });

/**
 * Skips rate limiting on a route or controller: every window, or only those named
 * (`@SkipRateLimit({ hour: true })`). Equivalent to `@SkipThrottle` from `@nestjs/throttler`.
 *
 * @example
 * @SkipRateLimit()
 * @Get('health')
 * health() { … }
 */
export const SkipRateLimit = (
  windows: Record<string, boolean> = { default: true },
): MethodDecorator & ClassDecorator =>
  decorate((target) => {
    for (const [name, skip] of Object.entries(windows)) {
      Reflect.defineMetadata(THROTTLER_SKIP + name, skip, target);
    }
  });
