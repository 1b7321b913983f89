import { describe, expect, it } from '@jest/globals';
import type { Entitlements } from './entitlements.types.js';
import { decideFeature, type FeaturePlan } from './feature-decision.js';

const plan: FeaturePlan = {
  tiers: ['local', 'network', 'authority'],
  features: { api_access: 'authority', bulk_export: 'network', analytics: 'local', webhooks: null },
};
const NOW = Date.parse('2026-11-22T12:00:00Z');
const at = (tier: string, extra: Partial<Entitlements> = {}): Entitlements => ({
  tier,
  trials: {},
  addons: [],
  ...extra,
});
const denied = (
  feature: string,
  isTrial: boolean,
  upgradeRequired: boolean,
  requiredTier: string | null,
) => ({
  allowed: false,
  feature,
  isTrial,
  upgradeRequired,
  requiredTier,
});

describe('decideFeature', () => {
  it.each([
    ['local', 'analytics', true],
    ['local', 'bulk_export', false],
    ['local', 'api_access', false],
    ['network', 'bulk_export', true],
    ['network', 'api_access', false],
    ['authority', 'api_access', true],
    ['authority', 'bulk_export', true],
    ['authority', 'analytics', true],
  ])('a %s tier is allowed %s: %s', (tier, feature, allowed) => {
    expect(decideFeature(feature, at(tier), plan, NOW).allowed).toBe(allowed);
  });

  it('denies a lower tier with the required tier and an upgrade', () => {
    expect(decideFeature('api_access', at('local'), plan, NOW)).toEqual(
      denied('api_access', false, true, 'authority'),
    );
  });

  it('allows during a trial and flags an ended one', () => {
    const end = new Date(NOW);
    expect(
      decideFeature('api_access', at('local', { trials: { api_access: end } }), plan, NOW - 1000)
        .allowed,
    ).toBe(true);
    expect(
      decideFeature('api_access', at('local', { trials: { api_access: end } }), plan, NOW + 1000),
    ).toEqual(denied('api_access', true, true, 'authority'));
    // The end itself is no longer inside the trial.
    expect(
      decideFeature('api_access', at('local', { trials: { api_access: end } }), plan, NOW).allowed,
    ).toBe(false);
  });

  it('treats add-on-only features as add-ons: no tier, no upgrade', () => {
    expect(decideFeature('webhooks', at('authority'), plan, NOW)).toEqual(
      denied('webhooks', false, false, null),
    );
    expect(
      decideFeature('webhooks', at('local', { addons: ['webhooks'] }), plan, NOW).allowed,
    ).toBe(true);
  });

  it('allows a tiered feature bought as an add-on', () => {
    expect(
      decideFeature('api_access', at('local', { addons: ['api_access'] }), plan, NOW).allowed,
    ).toBe(true);
  });

  it('flags an ended trial of an add-on-only feature', () => {
    const trials = { webhooks: new Date(NOW - 1) };
    expect(decideFeature('webhooks', at('network', { trials }), plan, NOW)).toEqual(
      denied('webhooks', true, false, null),
    );
  });

  it('denies a feature the plan does not know, whatever the principal has', () => {
    const everything = at('authority', {
      addons: ['mystery'],
      trials: { mystery: new Date(NOW + 1e9) },
    });
    expect(decideFeature('mystery', everything, plan, NOW)).toEqual(
      denied('mystery', false, false, null),
    );
  });

  it('denies when there is no principal', () => {
    expect(decideFeature('analytics', undefined, plan, NOW)).toEqual(
      denied('analytics', false, true, 'local'),
    );
  });

  it('needs an upgrade for a principal whose tier the plan does not know', () => {
    expect(decideFeature('analytics', at('legacy'), plan, NOW)).toEqual(
      denied('analytics', false, true, 'local'),
    );
  });
});
