import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import { resolveEntitlementsOptions } from './entitlements.options.js';
import { PrincipalEntitlementsResolver } from './principal-entitlements.resolver.js';

describe('resolveEntitlementsOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveEntitlementsOptions(undefined);
    expect(resolved).toMatchObject({
      tiers: ['local', 'network', 'authority'],
      features: {},
      cacheTtlMs: 0,
      cacheSize: 10_000,
    });
    expect(resolved.resolver).toBeInstanceOf(PrincipalEntitlementsResolver);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.tiers)).toBe(true);
    expect(Object.isFrozen(resolved.features)).toBe(true);
  });

  it('keeps features of a tier and add-on-only features', () => {
    const resolved = resolveEntitlementsOptions({
      tiers: ['free', 'pro'],
      features: { export: 'pro', sso: null },
    });
    expect(resolved.features).toEqual({ export: 'pro', sso: null });
  });

  it.each([
    [{ tiers: [] }, 'entitlements.tiers'],
    [{ tiers: ['a', 'a'] }, 'entitlements.tiers'],
    [{ tiers: ['a', ''] }, 'entitlements.tiers'],
    [{ tiers: 'a' }, 'entitlements.tiers'],
    [{ features: { export: 'gold' } }, 'entitlements.features.export'],
    [{ resolver: {} }, 'entitlements.resolver'],
    [{ cacheTtlMs: -1 }, 'entitlements.cacheTtlMs'],
    [{ cacheSize: 0 }, 'entitlements.cacheSize'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveEntitlementsOptions(options as never), name);
  });
});
