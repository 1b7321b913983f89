import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../test/support/config-error.js';
import { resolveApiErrorsOptions } from './api-errors.options.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { InMemoryApiKeyStore } from './auth/api-key.store.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';

describe('resolveApiErrorsOptions', () => {
  it("composes every part's resolved options into frozen slices", () => {
    const resolved = resolveApiErrorsOptions();
    expect(Object.keys(resolved).sort()).toEqual(
      [
        'apiKeys',
        'entitlements',
        'errorResponse',
        'guards',
        'idempotency',
        'rateLimit',
        'requestContext',
        'validation',
      ].sort(),
    );
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(resolved.apiKeys).toBeUndefined();
    expect(resolved.rateLimit).toBeUndefined();
    expect(resolved.guards).toEqual({
      apiKey: undefined,
      feature: undefined,
      rateLimit: undefined,
    });
  });

  it('hands the validation status to the error responses, where validation_error takes it', () => {
    const resolved = resolveApiErrorsOptions({ validation: { status: 400, maxErrors: 3 } });
    expect(resolved.errorResponse.validation).toEqual({ status: 400, maxErrors: 3 });
  });

  it('reads the deprecated apiKeys.trustedProxies when the top-level one is absent', () => {
    const store = new InMemoryApiKeyStore([]);
    const old = resolveApiErrorsOptions({ apiKeys: { store, trustedProxies: ['10.0.0.1'] } });
    expect(old.requestContext.trustedProxies.allows('10.0.0.1')).toBe(true);
  });

  it('keeps guard subclasses', () => {
    class Keys extends ApiKeyGuard {}
    class Limits extends RateLimitGuard {}
    const resolved = resolveApiErrorsOptions({
      apiKeys: { store: new InMemoryApiKeyStore([]) },
      rateLimit: {},
      guards: { apiKey: Keys, rateLimit: Limits },
    });
    expect(resolved.guards).toMatchObject({ apiKey: Keys, rateLimit: Limits });
  });

  it.each([
    [{ guards: { apiKey: class extends ApiKeyGuard {} } }, 'guards.apiKey'],
    [{ guards: { rateLimit: class extends RateLimitGuard {} } }, 'guards.rateLimit'],
    [{ rateLimit: {}, guards: { rateLimit: 'mine' } }, 'guards.rateLimit'],
    [{ guards: { feature: {} } }, 'guards.feature'],
    [{ format: 'yaml' }, 'format'],
    [{ requestIdHeader: 'X Id' }, 'requestIdHeader'],
    [{ maxBodyDepth: 0 }, 'maxBodyDepth'],
    [{ rateLimit: { key: [], redis: { url: 'http://x' } } }, 'rateLimit.redis'],
    [{ idempotency: { redis: {} } }, 'idempotency.redis'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveApiErrorsOptions(options as never), name);
  });
});
