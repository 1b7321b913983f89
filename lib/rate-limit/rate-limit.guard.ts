import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions, ResolvedRateLimitOptions } from '../api-errors.options.js';
import type { ApiPrincipal } from '../auth/api-key.types.js';
import { clientIp } from '../auth/client-ip.js';
import { getPrincipal } from '../auth/principal.js';
import { ApiException } from '../errors/api.exception.js';
import { rawRequest, setResponseHeader } from '../platform/platform.js';
import {
  ietfHeaders,
  legacyHeaders,
  mostConstraining,
  retryAfterSeconds,
  type NamedWindowState,
} from './rate-limit-headers.js';
import { RATE_LIMIT_STORE, type RateLimitStoreHolder } from './rate-limit-store.provider.js';
import type {
  ConsumeResult,
  RateLimitScope,
  RateLimitWindow,
  WindowCheck,
} from './rate-limit.types.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';
import { THROTTLER_LIMIT, THROTTLER_SKIP, THROTTLER_TTL } from './rate-limit.decorators.js';

/** One window of a route, after route overrides. */
interface PlannedWindow {
  readonly scope: RateLimitScope;
  readonly name: string;
  /** How headers name it: `key-minute`, `organization-day`, `ip-minute`. */
  readonly label: string;
  readonly limit: number;
  readonly ttlMs: number;
  /** Set when `@Throttle` overrides the window: the route then counts on its own. */
  readonly routeKey: string | undefined;
}

/** What the guard does on one handler, worked out once. */
interface RoutePlan {
  readonly skip: boolean;
  /** Key and organization windows, for requests with a principal. */
  readonly principalWindows: readonly PlannedWindow[];
  /** Client-IP windows, for requests without one. */
  readonly ipWindows: readonly PlannedWindow[];
}

/**
 * Rate limits per key and per organization (or per client IP without a principal) over every
 * configured window, all or nothing: a request is admitted only if every window admits it, and
 * a rejected one counts nowhere. Runs after authentication and entitlements, so 401 and 403
 * consume no quota. Sets X-RateLimit-* (the most constraining window) on every response of a
 * limited route; 429s carry Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly config: ResolvedRateLimitOptions | undefined;
  private readonly plans = new HandlerCache<RoutePlan>();

  constructor(
    @Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions,
    @Inject(RATE_LIMIT_STORE) private readonly holder: RateLimitStoreHolder,
    private readonly reflector: Reflector,
  ) {
    this.config = options.rateLimit;
  }

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const config = this.config;
    if (!config || context.getType() !== 'http') return true;
    const plan = this.plans.get(context, () => this.planFor(context));
    if (plan.skip) return true;

    const request = context.switchToHttp().getRequest<unknown>();
    const principal = getPrincipal(request);
    const windows = principal ? plan.principalWindows : plan.ipWindows;
    if (windows.length === 0) return true;
    const checks = windows.map((window) => this.check(window, principal, request, config));
    const now = this.options.clock();
    // Synchronous with the in-memory store: no promise per request.
    return whenReady(this.holder.store.consume(checks, now), (result) =>
      this.apply(context, windows, result, now, config),
    );
  }

  /** Sets the headers of the decision and rejects with 429 when a window is full. */
  private apply(
    context: ExecutionContext,
    windows: readonly PlannedWindow[],
    result: ConsumeResult,
    now: number,
    config: ResolvedRateLimitOptions,
  ): boolean {
    const states: NamedWindowState[] = result.windows.map((state, i) => ({
      limit: state.limit,
      remaining: state.remaining,
      resetAt: state.resetAt,
      name: windows[i].label,
      ttlMs: windows[i].ttlMs,
    }));
    const headers = legacyHeaders(mostConstraining(states) as NamedWindowState);
    if (config.ietfHeaders) Object.assign(headers, ietfHeaders(states, now));
    const response = context.switchToHttp().getResponse<unknown>();
    for (const name in headers) setResponseHeader(response, name, headers[name]);

    if (!result.admitted) {
      const seconds = retryAfterSeconds(result.windows, now);
      throw new ApiException(
        'rate_limit_exceeded',
        `Rate limit exceeded. Try again in ${seconds} seconds.`,
        {
          headers: { ...headers, 'Retry-After': String(seconds) },
        },
      );
    }
    return true;
  }

  /**
   * The counter of one window for this caller. Keys of one request share a hash tag. They are
   * joined rather than concatenated: a concatenated string is a tree of parts that a store
   * holding it keeps whole, more than twice the bytes of the flat string `join` makes.
   */
  private check(
    window: PlannedWindow,
    principal: ApiPrincipal | undefined,
    request: unknown,
    config: ResolvedRateLimitOptions,
  ): WindowCheck {
    const route = window.routeKey ? ':' + window.routeKey : '';
    let key: string;
    let limit = window.limit;
    if (principal) {
      // Redis Cluster: everything of one organization lives in one slot ({…} hash tag).
      const tag = encodeURIComponent(principal.organizationId);
      if (window.scope === 'key') {
        const id = encodeURIComponent(principal.keyId);
        key = ['{', tag, '}:k:', id, ':', window.name, route].join('');
        limit = this.tierLimit(principal.tier, window, config);
      } else {
        key = ['{', tag, '}:o:', window.name, route].join('');
      }
    } else {
      const ip = clientIp(rawRequest(request), this.options.apiKeys?.trustedProxies);
      key = ['{ip:', ip, '}:i:', window.name, route].join('');
    }
    return { key, limit, ttlMs: window.ttlMs };
  }

  private tierLimit(tier: string, window: PlannedWindow, config: ResolvedRateLimitOptions): number {
    const rule = config.tiers[tier];
    if (rule === undefined) return window.limit;
    if (typeof rule === 'number') return Math.max(1, Math.floor(window.limit * rule));
    return rule[window.name] ?? window.limit;
  }

  /** Reads @SkipRateLimit/@SkipThrottle and @RateLimit/@Throttle once per handler. */
  private planFor(context: ExecutionContext): RoutePlan {
    const handler = context.getHandler();
    const config = this.config as ResolvedRateLimitOptions;
    const targets = [handler, context.getClass()];
    const skipped = (name: string) =>
      this.reflector.getAllAndOverride<boolean>(THROTTLER_SKIP + name, targets) === true;
    const all: [RateLimitScope, readonly RateLimitWindow[]][] = [
      ['key', config.key],
      ['organization', config.organization],
      ['ip', config.ip],
    ];
    const windows: PlannedWindow[] = [];
    for (const [scope, list] of all) {
      for (const window of list) {
        if (skipped(window.name)) continue;
        const limit = this.reflector.getAllAndOverride<number | undefined>(
          THROTTLER_LIMIT + window.name,
          targets,
        );
        const ttl = this.reflector.getAllAndOverride<number | undefined>(
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
          routeKey: overridden ? `${context.getClass().name}.${handler.name}` : undefined,
        });
      }
    }
    // @SkipRateLimit() and @SkipThrottle() mark "default": unless a window has that name, it
    // turns limiting off.
    const skipAll =
      skipped('default') && !all.some(([, list]) => list.some((w) => w.name === 'default'));
    const plan: RoutePlan = {
      skip: skipAll,
      principalWindows: windows.filter((w) => w.scope !== 'ip'),
      ipWindows: windows.filter((w) => w.scope === 'ip'),
    };
    return plan;
  }
}
