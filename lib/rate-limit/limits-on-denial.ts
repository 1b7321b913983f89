import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { getPrincipal } from '../request-context/principal.js';
import type { RateLimitGuard } from './rate-limit.guard.js';

/**
 * Wraps a guard that runs before the rate-limit guard (the API-key guard's scope and tenant
 * checks, the feature guard) so that a request it refuses after authentication still carries
 * the route's X-RateLimit-* headers: every response of a limited route describes the limits,
 * errors included. They are read without counting, so a 403 consumes no quota; with Redis that
 * read is the request's one round trip. A request that did not authenticate (a 401) gets none,
 * since it has no counters of its own to describe.
 */
export function describeLimitsOnDenial(guard: CanActivate, limits: RateLimitGuard): CanActivate {
  const describedThrow = (context: ExecutionContext, error: unknown): Promise<never> | never => {
    if (context.getType() !== 'http' || !getPrincipal(context.switchToHttp().getRequest())) {
      throw error;
    }
    let described: ReturnType<RateLimitGuard['describeLimits']>;
    try {
      described = limits.describeLimits(context);
    } catch {
      // Headers are a courtesy here; the refusal stands whatever the store does.
      throw error;
    }
    if (!(described instanceof Promise)) throw error;
    return described.then(
      () => Promise.reject(error),
      () => Promise.reject(error),
    );
  };
  return {
    canActivate(context) {
      let result: ReturnType<CanActivate['canActivate']>;
      try {
        result = guard.canActivate(context);
      } catch (error) {
        return describedThrow(context, error);
      }
      if (result instanceof Promise) {
        return result.catch((error: unknown) => describedThrow(context, error));
      }
      return result;
    },
  };
}
