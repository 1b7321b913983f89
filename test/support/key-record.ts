import { digestApiKey } from '../../lib/auth/api-key.digest.js';
import type { ApiKeyRecord } from '../../lib/auth/api-key.types.js';

/** A key record for an in-memory store: `key` is the plaintext a test presents. */
export function keyRecord(
  id: string,
  key: string,
  overrides: Partial<Omit<ApiKeyRecord, 'id' | 'digest'>> = {},
): ApiKeyRecord {
  return {
    id,
    digest: digestApiKey(key),
    organizationId: 'org_test',
    tier: 'local',
    scopes: [],
    expiresAt: null,
    revokedAt: null,
    allowedIps: [],
    trials: {},
    addons: [],
    ...overrides,
  };
}
