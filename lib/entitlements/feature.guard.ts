import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type {
  ResolvedApiErrorsOptions,
  ResolvedEntitlementsOptions,
} from '../api-errors.options.js';
import type { ApiPrincipal } from '../auth/api-key.types.js';
import { getPrincipal } from '../auth/principal.js';
import { ApiException } from '../errors/api.exception.js';
import type { Entitlements } from './entitlements.types.js';
import { decideFeature } from './feature-decision.js';
import { REQUIRED_FEATURES } from './require-feature.decorator.js';
import { ExpiringMap } from '../shared/expiring-map.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';

/** Resolver answers kept at most, one per key. */
const CACHE_SIZE = 10_000;

/**
 * Checks `@RequireFeature` after authentication and before rate limiting, so a 403 never
 * consumes quota. Denials are 403 feature_not_entitled, naming the first missing feature.
 */
@Injectable()
export class FeatureGuard implements CanActivate {
  private readonly config: ResolvedEntitlementsOptions;
  /** Resolver answers by key id, each until its cache lifetime or a running trial ends. */
  private readonly cache = new ExpiringMap<Entitlements>(CACHE_SIZE);
  private readonly routes = new HandlerCache<readonly string[]>();

  constructor(
    @Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions,
    private readonly reflector: Reflector,
  ) {
    this.config = options.entitlements;
  }

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    if (context.getType() !== 'http') return true;
    const features = this.routes.get(context, () =>
      this.reflector.getAllAndMerge<string[]>(REQUIRED_FEATURES, [
        context.getClass(),
        context.getHandler(),
      ]),
    );
    if (features.length === 0) return true;
    const principal = getPrincipal(context.switchToHttp().getRequest());
    const entitlements = principal ? this.entitlementsOf(principal) : undefined;
    return whenReady(entitlements, (resolved) => this.decide(features, resolved));
  }

  private decide(features: readonly string[], entitlements: Entitlements | undefined): boolean {
    const now = this.options.clock();
    for (const feature of features) {
      const decision = decideFeature(feature, entitlements, this.config, now);
      if (!decision.allowed) {
        const { allowed: _allowed, ...members } = decision;
        throw new ApiException(
          'feature_not_entitled',
          `Your plan does not include the ${feature} feature`,
          { extensions: members },
        );
      }
    }
    return true;
  }

  /** Resolves (or reuses) entitlements; a cached result never outlives a running trial. */
  private entitlementsOf(principal: ApiPrincipal): MaybePromise<Entitlements> {
    const { resolver, cacheTtlMs } = this.config;
    if (cacheTtlMs === 0) return resolver.resolve(principal);
    const now = this.options.clock();
    const cached = this.cache.find(principal.keyId, now);
    if (cached !== -1) return this.cache.valueAt(cached);
    return whenReady(resolver.resolve(principal), (entitlements) => {
      let until = now + cacheTtlMs;
      for (const end of Object.values(entitlements.trials)) {
        if (end.getTime() > now) until = Math.min(until, end.getTime());
      }
      // One group for all: an answer cut short by a trial may wait behind longer ones, which
      // costs only memory within the bound, never a wrong answer (find checks the expiry).
      this.cache.set(principal.keyId, entitlements, until, now);
      return entitlements;
    });
  }
}
