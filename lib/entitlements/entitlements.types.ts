import type { ApiPrincipal } from '../request-context/request-context.js';
import type { MaybePromise } from '../shared/maybe-async.js';

/** What a principal is entitled to: its tier, its trials and its add-ons. */
export interface Entitlements {
  readonly tier: string;
  /** Feature → trial end. */
  readonly trials: Readonly<Record<string, Date>>;
  readonly addons: readonly string[];
}

/**
 * Where entitlements come from. The default reads them from the API key; implement this to read
 * them from your billing system.
 */
export interface EntitlementsResolver {
  resolve(principal: ApiPrincipal): MaybePromise<Entitlements>;
}

/** The outcome of checking one feature. */
export type FeatureDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly feature: string;
      /** True exactly when the principal had a trial for the feature and it has ended. */
      readonly isTrial: boolean;
      /** True exactly when a tier above the principal's includes the feature. */
      readonly upgradeRequired: boolean;
      /** The lowest tier that includes the feature; null for an add-on-only feature. */
      readonly requiredTier: string | null;
    };
