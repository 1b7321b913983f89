import type { Entitlements, FeatureDecision } from './entitlements.types.js';

/** Tiers (lowest first) and the lowest tier of each feature (null: add-on only). */
export interface FeaturePlan {
  readonly tiers: readonly string[];
  readonly features: Readonly<Record<string, string | null>>;
}

/**
 * Decides one feature. Allowed when the tier ranks at or above the feature's tier, or a trial
 * for it is still running (its end is after `now`), or it is one of the add-ons. A feature the
 * plan does not know is denied, never allowed.
 */
export function decideFeature(
  feature: string,
  entitlements: Entitlements | undefined,
  plan: FeaturePlan,
  now: number,
): FeatureDecision {
  const known = Object.prototype.hasOwnProperty.call(plan.features, feature);
  const requiredTier = known ? plan.features[feature] : null;
  const rank = entitlements ? plan.tiers.indexOf(entitlements.tier) : -1;
  const trialEnd = entitlements?.trials[feature];
  if (known && entitlements) {
    if (requiredTier !== null && rank >= 0 && rank >= plan.tiers.indexOf(requiredTier))
      return { allowed: true };
    if (trialEnd && trialEnd.getTime() > now) return { allowed: true };
    if (entitlements.addons.includes(feature)) return { allowed: true };
  }
  return {
    allowed: false,
    feature,
    isTrial: trialEnd !== undefined && trialEnd.getTime() <= now,
    upgradeRequired: known && requiredTier !== null && plan.tiers.indexOf(requiredTier) > rank,
    requiredTier,
  };
}
