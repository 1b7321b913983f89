import { describe, expect, it } from '@jest/globals';
import { countMapWork } from '../../test/support/map-work.js';
import { resolveApiErrorsOptions } from '../api-errors.options.js';
import { keyRecord } from '../../test/support/key-record.js';
import { digestApiKey } from './api-key.digest.js';
import { ApiKeyService } from './api-key.service.js';
import { InMemoryApiKeyStore } from './api-key.store.js';
import type { ApiKeyRecord, AuthOutcome } from './api-key.types.js';
import { IpAllowlist } from '../request-context/ip-allowlist.js';

const KEY = 'sk_test_valid_key_0001';
const RECORD = keyRecord('key_1', KEY, { organizationId: 'org_a' });

function service(cacheSize: number, now: () => number): ApiKeyService {
  const options = resolveApiErrorsOptions({
    apiKeys: { store: new InMemoryApiKeyStore([RECORD]), cacheSize, cacheTtlMs: 10_000 },
    clock: now,
  });
  return new ApiKeyService(options.apiKeys, options.requestContext);
}

describe('ApiKeyService lookup cache', () => {
  it('answers from the cache until the lookup expires', () => {
    let now = 0;
    const keys = service(10, () => now);
    expect(keys.authenticate(KEY, '127.0.0.1')).toMatchObject({ outcome: 'success' });
    expect(keys.authenticate('sk_test_unknown', '127.0.0.1')).toMatchObject({ outcome: 'unknown' });
    now = 9_999;
    const work = countMapWork(() => keys.authenticate(KEY, '127.0.0.1'));
    // One cache lookup, no store lookup.
    expect(work.operations).toBe(1);
    now = 10_000;
    const expired = countMapWork(() => keys.authenticate(KEY, '127.0.0.1'));
    expect(expired.operations).toBeGreaterThan(1);
  });

  // Issue #13: past cacheSize, every new digest evicted the oldest through a Map iterator,
  // which walks the holes that earlier deletions left at the front of the map's table.
  it.each([1_000, 50_000])(
    'costs the same few Map operations per unknown key at capacity (%i), never an iteration',
    (cacheSize) => {
      let now = 0;
      const keys = service(cacheSize, () => now);
      for (let i = 0; i < cacheSize; i++) keys.authenticate(`sk_old_${i}`, '127.0.0.1');
      const attempts = 5_000;
      const work = countMapWork(() => {
        for (let i = 0; i < attempts; i++) {
          now++;
          keys.authenticate(`sk_new_${i}`, '127.0.0.1');
        }
      });
      expect(work.iterationSteps).toBe(0);
      expect(work.operations / attempts).toBeLessThanOrEqual(8);
    },
  );
});

describe('ApiKeyService work per attempt', () => {
  const key = (id: string, extra: Partial<ApiKeyRecord>): [string, ApiKeyRecord] => {
    const plaintext = `sk_test_${id}_key`;
    return [plaintext, { ...RECORD, id, digest: digestApiKey(plaintext), ...extra }];
  };
  const [revokedKey, revoked] = key('revoked', { revokedAt: new Date(0) });
  const [expiredKey, expired] = key('expired', { expiresAt: new Date(0) });
  const [deniedKey, denied] = key('denied', { allowedIps: ['203.0.113.0/24'] });
  const options = resolveApiErrorsOptions({
    apiKeys: { store: new InMemoryApiKeyStore([RECORD, revoked, expired, denied]) },
    clock: () => 1_000_000,
  });
  const keys = new ApiKeyService(options.apiKeys, options.requestContext);

  // Issue #13, item 3: only a key refused for its address reached the allowlist check, which made
  // that refusal measurably slower than every other failure.
  it.each<[AuthOutcome, string | undefined]>([
    ['missing', undefined],
    ['malformed', 'not a key'],
    ['malformed', 'k'.repeat(513)],
    ['unknown', 'sk_test_nobody_key'],
    ['revoked', revokedKey],
    ['expired', expiredKey],
    ['ip_denied', deniedKey],
    ['success', KEY],
  ])('checks exactly one allowlist for a %s key', (outcome, presented) => {
    const allows = IpAllowlist.prototype.allows;
    let checks = 0;
    IpAllowlist.prototype.allows = function (this: IpAllowlist, address: string) {
      checks++;
      return allows.call(this, address);
    };
    try {
      expect(keys.authenticate(presented, '127.0.0.1')).toMatchObject({ outcome });
    } finally {
      IpAllowlist.prototype.allows = allows;
    }
    expect(checks).toBe(1);
  });
});
