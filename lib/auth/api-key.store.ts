import type { MaybePromise } from '../shared/maybe-async.js';
import type { ApiKeyRecord } from './api-key.types.js';

/**
 * Where keys live. Implement it over your database to plug in your own keys; lookups are by
 * digest, so the store never needs the plaintext.
 */
export interface ApiKeyStore {
  /** The key whose SHA-256 hex digest is `digest`, or undefined (a plain value or a promise). */
  findByDigest(digest: string): MaybePromise<ApiKeyRecord | undefined>;
  /** The key with id `id`, or undefined. */
  findById(id: string): Promise<ApiKeyRecord | undefined>;
  /** Marks a key revoked at `at`; false when there is no such key. */
  revoke(id: string, at: Date): Promise<boolean>;
}

/** A store held in memory, for tests, demos and apps with a handful of static keys. */
export class InMemoryApiKeyStore implements ApiKeyStore {
  private readonly byDigest = new Map<string, ApiKeyRecord>();
  private readonly byId = new Map<string, ApiKeyRecord>();

  constructor(records: Iterable<ApiKeyRecord> = []) {
    for (const record of records) this.add(record);
  }

  /** Adds a key; ids and digests must be unique. */
  add(record: ApiKeyRecord): void {
    if (this.byId.has(record.id)) throw new Error(`API key id "${record.id}" is used twice`);
    if (this.byDigest.has(record.digest))
      throw new Error(`API key "${record.id}" repeats another key`);
    this.byDigest.set(record.digest, record);
    this.byId.set(record.id, record);
  }

  findByDigest(digest: string): ApiKeyRecord | undefined {
    return this.byDigest.get(digest);
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    return this.byId.get(id);
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const record = this.byId.get(id);
    if (!record) return false;
    record.revokedAt = at;
    return true;
  }
}
