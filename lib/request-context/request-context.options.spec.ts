import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import {
  REQUEST_CONTEXT_DEFAULTS,
  resolveRequestContextOptions,
} from './request-context.options.js';

describe('resolveRequestContextOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveRequestContextOptions({});
    expect(resolved).toMatchObject({
      requestIdHeader: 'X-Request-Id',
      asyncContext: true,
      bodyContentTypes: ['application/json'],
      contexts: { rpc: 'deny', ws: 'deny', graphql: 'deny' },
      clock: Date.now,
    });
    expect(resolved.trustedProxies.isEmpty).toBe(true);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.contexts)).toBe(true);
    expect(REQUEST_CONTEXT_DEFAULTS.requestIdHeader).toBe(resolved.requestIdHeader);
  });

  it('lower-cases body media types, and takes false to turn the check off', () => {
    expect(resolveRequestContextOptions({ bodyContentTypes: ['Application/JSON'] })).toMatchObject({
      bodyContentTypes: ['application/json'],
    });
    expect(resolveRequestContextOptions({ bodyContentTypes: false }).bodyContentTypes).toBe(false);
  });

  it('takes trusted proxies at the top level, or from the deprecated apiKeys option', () => {
    const top = resolveRequestContextOptions({ trustedProxies: ['10.0.0.0/8'] }, ['192.0.2.1']);
    expect(top.trustedProxies.allows('10.1.2.3')).toBe(true);
    expect(top.trustedProxies.allows('192.0.2.1')).toBe(false);
    const old = resolveRequestContextOptions({}, ['192.0.2.1']);
    expect(old.trustedProxies.allows('192.0.2.1')).toBe(true);
  });

  it("lets a transport be skipped, and keeps the others 'deny'", () => {
    expect(resolveRequestContextOptions({ contexts: { rpc: 'skip' } }).contexts).toEqual({
      rpc: 'skip',
      ws: 'deny',
      graphql: 'deny',
    });
  });

  it.each([
    [{ requestIdHeader: 'X Id' }, 'requestIdHeader'],
    [{ asyncContext: 'yes' }, 'asyncContext'],
    [{ bodyContentTypes: ['json'] }, 'bodyContentTypes'],
    [{ bodyContentTypes: 'application/json' }, 'bodyContentTypes'],
    [{ trustedProxies: '10.0.0.1' }, 'trustedProxies'],
    [{ trustedProxies: ['10.0.0.0/33'] }, 'trustedProxies'],
    [{ trustedProxies: ['proxy.local'] }, 'trustedProxies'],
    [{ contexts: { rpc: 'allow' } }, 'contexts.rpc'],
    [{ contexts: { kafka: 'skip' } }, 'contexts.kafka'],
    [{ clock: 5 }, 'clock'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveRequestContextOptions(options as never), name);
  });

  it('names the deprecated option when its entries are wrong', () => {
    expectRejected(() => resolveRequestContextOptions({}, ['nope']), 'apiKeys.trustedProxies');
  });
});
