import { ApiErrorsConfigError, implementsOption, integerOption } from '../shared/option-checks.js';
import type { EntitlementsResolver } from './entitlements.types.js';
import { PrincipalEntitlementsResolver } from './principal-entitlements.resolver.js';

/** Options of plan-based feature gating (`entitlements`). */
export interface EntitlementsOptions {
  /**
   * Plan tiers, lowest first.
   * @default ['local', 'network', 'authority']
   */
  tiers?: readonly string[];
  /**
   * Each feature and the lowest tier that includes it; `null` for a feature sold only as an
   * add-on.
   * @default {}
   */
  features?: Readonly<Record<string, string | null>>;
  /**
   * Where a principal's tier, trials and add-ons come from.
   * @default the API key record's own
   */
  resolver?: EntitlementsResolver;
  /**
   * How long a resolver's answer is reused per key, in ms, never past a running trial's end;
   * 0 asks the resolver on every request.
   * @default 0
   */
  cacheTtlMs?: number;
  /**
   * How many keys' answers the cache holds at most (the oldest go first).
   * @default 10000
   */
  cacheSize?: number;
}

/** `entitlements` after defaults were merged; frozen. */
export interface ResolvedEntitlementsOptions {
  readonly tiers: readonly string[];
  readonly features: Readonly<Record<string, string | null>>;
  readonly resolver: EntitlementsResolver;
  readonly cacheTtlMs: number;
  readonly cacheSize: number;
}

/** Injection token of {@link ResolvedEntitlementsOptions}. */
export const ENTITLEMENTS_OPTIONS = Symbol('nest-api-errors:entitlements-options');

export const ENTITLEMENTS_DEFAULTS = Object.freeze({
  tiers: Object.freeze(['local', 'network', 'authority']),
  cacheTtlMs: 0,
  cacheSize: 10_000,
});

/** Checks and freezes `entitlements`. */
export function resolveEntitlementsOptions(
  options: EntitlementsOptions | undefined,
): ResolvedEntitlementsOptions {
  const d = ENTITLEMENTS_DEFAULTS;
  const tiers = options?.tiers ?? d.tiers;
  if (
    !Array.isArray(tiers) ||
    tiers.length === 0 ||
    tiers.some((t) => typeof t !== 'string' || t === '') ||
    new Set(tiers).size !== tiers.length
  ) {
    throw new ApiErrorsConfigError(
      'entitlements.tiers',
      'must be a non-empty list of distinct names',
      'List the tiers lowest first, e.g. ["local", "network", "authority"].',
    );
  }
  const features = { ...(options?.features ?? {}) };
  for (const [feature, tier] of Object.entries(features)) {
    if (tier !== null && !tiers.includes(tier)) {
      throw new ApiErrorsConfigError(
        `entitlements.features.${feature}`,
        `is "${String(tier)}", which is not a tier`,
        `Use one of ${tiers.join(', ')}, or null for an add-on-only feature.`,
      );
    }
  }
  const resolver = implementsOption(
    'entitlements.resolver',
    options?.resolver ?? new PrincipalEntitlementsResolver(),
    ['resolve'],
    'Implement EntitlementsResolver.',
  );
  return Object.freeze({
    tiers: Object.freeze([...tiers]),
    features: Object.freeze(features),
    resolver,
    cacheTtlMs: integerOption('entitlements.cacheTtlMs', options?.cacheTtlMs, d.cacheTtlMs),
    cacheSize: integerOption('entitlements.cacheSize', options?.cacheSize, d.cacheSize, 1),
  });
}
