import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../errors/api.exception.js';
import { rawRequest, setResponseHeader } from '../platform/platform.js';
import { clientIp } from '../request-context/client-ip.js';
import { contextPolicyOf } from '../request-context/execution-context.js';
import { getPrincipal } from '../request-context/principal.js';
import type { ApiPrincipal } from '../request-context/request-context.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';
import {
  ietfHeaders,
  legacyHeaders,
  mostConstraining,
  retryAfterSeconds,
  type NamedWindowState,
} from './rate-limit-headers.js';
import { RATE_LIMIT_STORE } from './rate-limit-store.provider.js';
import { rateLimitExceededError } from './rate-limit.errors.js';
import { RATE_LIMIT_OPTIONS, type ResolvedRateLimitOptions } from './rate-limit.options.js';
import type { RateLimitStore, RouteWindow, WindowCheck, WindowState } from './rate-limit.types.js';
import { routeLimitsOf, type RouteLimits as RoutePlan } from './route-limits.js';

/**
 * Rate limits per key and per organization (or per client IP without a principal) over every
 * configured window, all or nothing: a request is admitted only if every window admits it, and
 * a rejected one counts nowhere. Runs after authentication and entitlements, so 401 and 403
 * consume no quota. Sets X-RateLimit-* (the most constraining window) on every response of a
 * limited route; 429s carry Retry-After.
 *
 * A handler called over another transport has no client this guard can count: one that would
 * be limited is refused (mark it `@SkipRateLimit()`, or set `contexts.<type>: 'skip'`).
 *
 * Extend it to change who is counted ({@link RateLimitGuard.getTracker},
 * {@link RateLimitGuard.counterKey}), a principal's limit ({@link RateLimitGuard.limitFor}) or
 * the 429 ({@link RateLimitGuard.tooManyRequests}), and install the subclass with
 * `guards: { rateLimit: MyRateLimitGuard }`.
 *
 * @example
 * @Injectable()
 * export class PartnerRateLimitGuard extends RateLimitGuard {
 *   protected override limitFor(principal: ApiPrincipal, window: RouteWindow) {
 *     return principal.scopes.includes('partner') ? window.limit * 5 : super.limitFor(principal, window);
 *   }
 * }
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private readonly plans = new HandlerCache<RoutePlan>();
  /** Handlers already reported as refused outside HTTP (one warning each). */
  private readonly warned = new Set<string>();

  constructor(
    @Inject(RATE_LIMIT_OPTIONS) protected readonly config: ResolvedRateLimitOptions,
    @Inject(REQUEST_CONTEXT_OPTIONS)
    protected readonly requestOptions: ResolvedRequestContextOptions,
    @Inject(RATE_LIMIT_STORE) protected readonly store: RateLimitStore,
    protected readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const policy = contextPolicyOf(context, this.requestOptions);
    if (policy === 'skip') return true;
    const plan = this.plans.get(context, () => this.planFor(context));
    if (plan.skip) return true;
    if (policy === 'deny') return this.refuseUncountable(context, plan);

    const counted = this.countedAs(context, plan);
    if (counted === undefined) return true;
    const now = this.requestOptions.clock();
    // Synchronous with the in-memory store: no promise per request.
    return whenReady(this.store.consume(counted.checks, now), (result) => {
      const headers = this.setHeaders(context, counted.windows, result.windows, now);
      if (!result.admitted) {
        const seconds = retryAfterSeconds(result.windows, now);
        throw this.tooManyRequests(seconds, { ...headers, 'Retry-After': String(seconds) });
      }
      return true;
    });
  }

  /**
   * Sets the X-RateLimit-* (and IETF) headers of the request's route from the counters as they
   * stand, counting nothing: for a request refused before this guard ran (a missing scope, a
   * feature not entitled), whose answer still describes the limits. Does nothing on a route
   * without limits, outside HTTP, or with a store that cannot read without counting.
   */
  describeLimits(context: ExecutionContext): MaybePromise<void> {
    if (context.getType() !== 'http' || this.store.peek === undefined) return;
    const plan = this.plans.get(context, () => this.planFor(context));
    if (plan.skip) return;
    const counted = this.countedAs(context, plan);
    if (counted === undefined) return;
    const now = this.requestOptions.clock();
    return whenReady(this.store.peek(counted.checks, now), (states) => {
      this.setHeaders(context, counted.windows, states, now);
    });
  }

  /**
   * Who a request without a principal is counted as: the client IP (behind `trustedProxies`,
   * the first untrusted X-Forwarded-For hop). Override to count by something else.
   */
  protected getTracker(request: unknown): string {
    return clientIp(rawRequest(request), this.requestOptions.trustedProxies);
  }

  /**
   * The storage key of one window's counter. Keys of one request share a hash tag (Redis
   * Cluster: everything of one organization lives in one slot). Joined rather than
   * concatenated: a concatenated string is a tree of parts that a store holding it keeps whole,
   * more than twice the bytes of the flat string `join` makes.
   */
  protected counterKey(
    window: RouteWindow,
    principal: ApiPrincipal | undefined,
    tracker: string | undefined,
  ): string {
    const route = window.routeKey ? ':' + window.routeKey : '';
    if (!principal) return ['{ip:', tracker, '}:i:', window.name, route].join('');
    const tag = encodeURIComponent(principal.organizationId);
    if (window.scope === 'key') {
      const id = encodeURIComponent(principal.keyId);
      return ['{', tag, '}:k:', id, ':', window.name, route].join('');
    }
    return ['{', tag, '}:o:', window.name, route].join('');
  }

  /** A principal's limit in a key window: the window's, scaled or replaced by its tier's rule. */
  protected limitFor(principal: ApiPrincipal, window: RouteWindow): number {
    const rule = this.config.tiers[principal.tier];
    if (rule === undefined) return window.limit;
    if (typeof rule === 'number') return Math.max(1, Math.floor(window.limit * rule));
    return rule[window.name] ?? window.limit;
  }

  /**
   * The 429 of a full window; `headers` are the X-RateLimit-* (and IETF) ones and Retry-After.
   * Override to change its message.
   */
  protected tooManyRequests(
    retryAfterSeconds: number,
    headers: Readonly<Record<string, string>>,
  ): ApiException {
    return rateLimitExceededError(retryAfterSeconds, headers);
  }

  /** The windows a request is counted in, and their counters; undefined when there are none. */
  private countedAs(
    context: ExecutionContext,
    plan: RoutePlan,
  ): { windows: readonly RouteWindow[]; checks: WindowCheck[] } | undefined {
    const request = context.switchToHttp().getRequest<unknown>();
    const principal = getPrincipal(request);
    const windows = principal ? plan.principalWindows : plan.ipWindows;
    if (windows.length === 0) return undefined;
    const tracker = principal ? undefined : this.getTracker(request);
    return { windows, checks: windows.map((window) => this.check(window, principal, tracker)) };
  }

  /** Sets the headers that describe `states` on the response, and returns them. */
  private setHeaders(
    context: ExecutionContext,
    windows: readonly RouteWindow[],
    states: readonly WindowState[],
    now: number,
  ): Record<string, string> {
    const named: NamedWindowState[] = states.map((state, i) => ({
      limit: state.limit,
      remaining: state.remaining,
      resetAt: state.resetAt,
      name: windows[i].label,
      ttlMs: windows[i].ttlMs,
    }));
    const headers = legacyHeaders(mostConstraining(named) as NamedWindowState);
    if (this.config.ietfHeaders) Object.assign(headers, ietfHeaders(named, now));
    const response = context.switchToHttp().getResponse<unknown>();
    for (const name in headers) setResponseHeader(response, name, headers[name]);
    return headers;
  }

  private check(
    window: RouteWindow,
    principal: ApiPrincipal | undefined,
    tracker: string | undefined,
  ): WindowCheck {
    const limit =
      principal && window.scope === 'key' ? this.limitFor(principal, window) : window.limit;
    return { key: this.counterKey(window, principal, tracker), limit, ttlMs: window.ttlMs };
  }

  /** Outside HTTP there is nobody to count: a limited handler is refused, and why is logged. */
  private refuseUncountable(context: ExecutionContext, plan: RoutePlan): boolean {
    if (plan.ipWindows.length === 0 && plan.principalWindows.length === 0) return true;
    const place = `${context.getClass().name}.${context.getHandler().name}`;
    if (!this.warned.has(place)) {
      this.warned.add(place);
      this.logger.warn(
        `${place} is called over ${context.getType()}, where rate limits cannot count anyone; ` +
          `refused. Mark it @SkipRateLimit() or set contexts.${context.getType()} to 'skip'.`,
      );
    }
    throw new ApiException('forbidden');
  }

  /** Reads @SkipRateLimit/@SkipThrottle and @RateLimit/@Throttle once per handler. */
  private planFor(context: ExecutionContext): RoutePlan {
    return routeLimitsOf(this.reflector, this.config, context.getHandler(), context.getClass());
  }
}
