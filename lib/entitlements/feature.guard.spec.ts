import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { countMapWork } from '../../test/support/map-work.js';
import { resolveApiErrorsOptions } from '../api-errors.options.js';
import { REQUEST_CONTEXT, type ApiPrincipal } from '../request-context/request-context.js';
import type { Entitlements, EntitlementsResolver } from './entitlements.types.js';
import { FeatureGuard } from './feature.guard.js';
import { RequireFeature } from './require-feature.decorator.js';

class Reports {
  @RequireFeature('analytics')
  list(): void {}
}

/** An HTTP context for Reports.list whose request authenticated as `keyId`. */
function contextFor(keyId: string): ExecutionContext {
  const principal: ApiPrincipal = {
    keyId,
    organizationId: 'org',
    tier: 'local',
    scopes: [],
    trials: {},
    addons: [],
  };
  const request = {
    raw: { [REQUEST_CONTEXT]: { requestId: 'req', errorCode: undefined, principal } },
  };
  return {
    getType: () => 'http',
    getClass: () => Reports,
    getHandler: () => Reports.prototype.list,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

function guard(now: () => number, resolved: { count: number }): FeatureGuard {
  const resolver: EntitlementsResolver = {
    resolve(principal): Entitlements {
      resolved.count++;
      return { tier: principal.tier, trials: {}, addons: [] };
    },
  };
  const options = resolveApiErrorsOptions({
    entitlements: { features: { analytics: 'local' }, resolver, cacheTtlMs: 60_000 },
    clock: now,
  });
  return new FeatureGuard(options.entitlements, options.requestContext, new Reflector());
}

describe('FeatureGuard entitlements cache', () => {
  it("reuses a resolver's answer for cacheTtlMs", () => {
    let now = 0;
    const resolved = { count: 0 };
    const features = guard(() => now, resolved);
    expect(features.canActivate(contextFor('k1'))).toBe(true);
    now = 59_999;
    expect(features.canActivate(contextFor('k1'))).toBe(true);
    expect(resolved.count).toBe(1);
    now = 60_000;
    expect(features.canActivate(contextFor('k1'))).toBe(true);
    expect(resolved.count).toBe(2);
  });

  // Issue #13: past 10,000 keys, every new key evicted the oldest through a Map iterator, which
  // walks the holes that earlier deletions left at the front of the map's table.
  it('costs the same few Map operations per new key at capacity, never an iteration', () => {
    let now = 0;
    const features = guard(() => now, { count: 0 });
    for (let i = 0; i < 10_000; i++) features.canActivate(contextFor(`old${i}`));
    const contexts = Array.from({ length: 5_000 }, (_, i) => contextFor(`new${i}`));
    const work = countMapWork(() => {
      for (const context of contexts) {
        now++;
        features.canActivate(context);
      }
    });
    expect(work.iterationSteps).toBe(0);
    expect(work.operations / contexts.length).toBeLessThanOrEqual(8);
  });
});
