import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { digestApiKey } from './api-key.digest.js';
import { InMemoryApiKeyStore } from './api-key.store.js';
import type { ApiKeyRecord } from './api-key.types.js';
import { invalidAllowlistEntry } from '../request-context/ip-allowlist.js';

/** Thrown when a keys file cannot be used; names the file and the entry. */
export class ApiKeysFileError extends Error {
  override readonly name = 'ApiKeysFileError';
}

const SHA256_PREFIX = 'sha256:';

function isoDate(value: unknown, what: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new Error(`${what} must be an ISO-8601 date-time or null`);
  return date;
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new Error(`${what} must be a list of non-empty strings`);
  }
  return value as string[];
}

function requiredString(entry: Record<string, unknown>, name: string): string {
  const value = entry[name];
  if (typeof value !== 'string' || value === '')
    throw new Error(`"${name}" must be a non-empty string`);
  return value;
}

/** Turns one entry of a keys file into a record; the plaintext is digested and dropped. */
export function parseApiKeyEntry(entry: unknown, tiers?: readonly string[]): ApiKeyRecord {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    throw new Error('must be an object');
  const e = entry as Record<string, unknown>;
  const id = requiredString(e, 'id');
  const key = requiredString(e, 'key');
  let digest: string;
  if (key.startsWith(SHA256_PREFIX)) {
    digest = key.slice(SHA256_PREFIX.length).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(digest))
      throw new Error('"key" must be "sha256:" and 64 hex digits');
  } else {
    if (Buffer.byteLength(key) > 512 || !/^[\x21-\x7e]+$/.test(key)) {
      throw new Error('"key" must be at most 512 printable ASCII characters');
    }
    digest = digestApiKey(key);
  }
  const tier = requiredString(e, 'tier');
  if (tiers && !tiers.includes(tier))
    throw new Error(`"tier" is "${tier}"; use one of ${tiers.join(', ')}`);
  const allowedIps = stringList(e.allowedIps, '"allowedIps"');
  for (const ip of allowedIps) {
    const reason = invalidAllowlistEntry(ip);
    if (reason) throw new Error(`"allowedIps": ${reason}`);
  }
  const trials: Record<string, Date> = {};
  if (e.trials !== undefined) {
    if (!e.trials || typeof e.trials !== 'object' || Array.isArray(e.trials)) {
      throw new Error('"trials" must be an object of feature → ISO-8601 trial end');
    }
    for (const [feature, end] of Object.entries(e.trials)) {
      const date = isoDate(end, `"trials.${feature}"`);
      if (!date) throw new Error(`"trials.${feature}" must be an ISO-8601 date-time`);
      trials[feature] = date;
    }
  }
  return {
    id,
    digest,
    organizationId: requiredString(e, 'organizationId'),
    tier,
    scopes: stringList(e.scopes, '"scopes"'),
    expiresAt: isoDate(e.expiresAt, '"expiresAt"'),
    revokedAt: isoDate(e.revokedAt, '"revokedAt"'),
    allowedIps,
    trials,
    addons: stringList(e.addons, '"addons"'),
  };
}

/**
 * Loads `{ "keys": [ … ] }` from a JSON file into an in-memory store. Each `key` is a plaintext
 * key or `sha256:<64 hex>`; plaintext is digested at once and not kept. A malformed file throws
 * an {@link ApiKeysFileError} naming the file and the bad entry.
 */
export function loadApiKeysFile(path: string, tiers?: readonly string[]): InMemoryApiKeyStore {
  const file = resolve(path);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ApiKeysFileError(`API keys file ${file}: ${(error as Error).message}`);
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    throw new ApiKeysFileError(`API keys file ${file}: expected { "keys": [ … ] }`);
  const store = new InMemoryApiKeyStore();
  keys.forEach((entry, index) => {
    const label = `keys[${index}]${typeof entry?.id === 'string' ? ` ("${entry.id}")` : ''}`;
    try {
      store.add(parseApiKeyEntry(entry, tiers));
    } catch (error) {
      throw new ApiKeysFileError(`API keys file ${file}: ${label} ${(error as Error).message}`);
    }
  });
  return store;
}
