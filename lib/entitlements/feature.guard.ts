import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../errors/api.exception.js';
import { contextPolicyOf } from '../request-context/execution-context.js';
import { getPrincipal } from '../request-context/principal.js';
import type { ApiPrincipal } from '../request-context/request-context.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { ExpiringMap } from '../shared/expiring-map.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';
import { ENTITLEMENTS_OPTIONS, type ResolvedEntitlementsOptions } from './entitlements.options.js';
import type { Entitlements, FeatureDecision } from './entitlements.types.js';
import { featureNotEntitledError } from './entitlements.errors.js';
import { decideFeature } from './feature-decision.js';
import { requiredFeaturesOf } from './require-feature.decorator.js';

/** A denial: the decision of the first feature the principal lacks. */
export type FeatureDenial = Exclude<FeatureDecision, { readonly allowed: true }>;

/**
 * Checks `@RequireFeature` after authentication and before rate limiting, so a 403 never
 * consumes quota. Denials are 403 feature_not_entitled, naming the first missing feature.
 * A handler called over another transport has no principal here, so one that requires a
 * feature is refused (unless the app set `contexts.<type>: 'skip'`).
 *
 * To change where entitlements come from per request or how a denial is answered, extend it,
 * override {@link FeatureGuard.entitlementsOf} or {@link FeatureGuard.notEntitled}, and install
 * the subclass with `guards: { feature: MyFeatureGuard }`.
 */
@Injectable()
export class FeatureGuard implements CanActivate {
  /** Resolver answers by key id, each until its cache lifetime or a running trial ends. */
  private readonly cache: ExpiringMap<Entitlements>;
  private readonly routes = new HandlerCache<readonly string[]>();

  constructor(
    @Inject(ENTITLEMENTS_OPTIONS) protected readonly config: ResolvedEntitlementsOptions,
    @Inject(REQUEST_CONTEXT_OPTIONS)
    protected readonly requestOptions: ResolvedRequestContextOptions,
    protected readonly reflector: Reflector,
  ) {
    this.cache = new ExpiringMap(config.cacheSize);
  }

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const policy = contextPolicyOf(context, this.requestOptions);
    if (policy === 'skip') return true;
    const features = this.routes.get(context, () =>
      requiredFeaturesOf(this.reflector, context.getHandler(), context.getClass()),
    );
    if (features.length === 0) return true;
    const principal =
      policy === 'http' ? getPrincipal(context.switchToHttp().getRequest()) : undefined;
    const entitlements = principal ? this.entitlementsOf(principal) : undefined;
    return whenReady(entitlements, (resolved) => this.decide(features, resolved));
  }

  /**
   * The 403 for a feature the principal lacks (`feature`, `isTrial`, `upgradeRequired`,
   * `requiredTier` as extension members). Override to change its message or members.
   */
  protected notEntitled(denial: FeatureDenial): ApiException {
    return featureNotEntitledError(denial);
  }

  /**
   * Resolves (or reuses) the principal's entitlements; a cached result never outlives a
   * running trial. Override to read them per request from elsewhere.
   */
  protected entitlementsOf(principal: ApiPrincipal): MaybePromise<Entitlements> {
    const { resolver, cacheTtlMs } = this.config;
    if (cacheTtlMs === 0) return resolver.resolve(principal);
    const now = this.requestOptions.clock();
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

  private decide(features: readonly string[], entitlements: Entitlements | undefined): boolean {
    const now = this.requestOptions.clock();
    for (const feature of features) {
      const decision = decideFeature(feature, entitlements, this.config, now);
      if (!decision.allowed) throw this.notEntitled(decision);
    }
    return true;
  }
}
