import { ExpiringMap } from '../shared/expiring-map.js';
import type { ClaimResult, IdempotencyStore, StoredResponse } from './idempotency.types.js';

type Entry =
  | { state: 'in_flight'; token: string; fingerprint: string }
  | { state: 'completed'; fingerprint: string; response: StoredResponse };

/**
 * Records in memory, for one instance. Bounded, and O(1) per call at capacity: expired locks
 * and records are dropped oldest first as new ones arrive, and past `maxRecords` the one that
 * expires soonest is forgotten, without scanning the others.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries: ExpiringMap<Entry>;

  /** @param maxRecords locks and records held at most (default 100_000) */
  constructor(maxRecords?: number);
  /**
   * @deprecated `sweepEveryMs` does nothing: nothing sweeps, expired entries are dropped as new
   * ones arrive. Pass `maxRecords` alone.
   */
  constructor(maxRecords: number | undefined, sweepEveryMs: number);
  constructor(maxRecords = 100_000, _sweepEveryMs?: number) {
    this.entries = new ExpiringMap(maxRecords);
  }

  get size(): number {
    return this.entries.size;
  }

  async claim(
    key: string,
    fingerprint: string,
    token: string,
    lockTtlMs: number,
    now: number,
  ): Promise<ClaimResult> {
    const slot = this.entries.find(key, now);
    if (slot !== -1) {
      const entry = this.entries.valueAt(slot);
      return entry.state === 'in_flight'
        ? { outcome: 'in_flight' }
        : { outcome: 'completed', fingerprint: entry.fingerprint, response: entry.response };
    }
    // Grouped by lifetime, so that each group expires in the order it was filled.
    this.entries.set(
      key,
      { state: 'in_flight', token, fingerprint },
      now + lockTtlMs,
      now,
      lockTtlMs,
    );
    return { outcome: 'claimed' };
  }

  async complete(
    key: string,
    token: string,
    fingerprint: string,
    response: StoredResponse,
    ttlMs: number,
    now: number,
  ): Promise<void> {
    const slot = this.entries.find(key, now);
    if (slot === -1) return;
    const entry = this.entries.valueAt(slot);
    if (entry.state !== 'in_flight' || entry.token !== token) return;
    this.entries.set(key, { state: 'completed', fingerprint, response }, now + ttlMs, now, ttlMs);
  }

  async release(key: string, token: string): Promise<void> {
    const slot = this.entries.peek(key);
    if (slot === -1) return;
    const entry = this.entries.valueAt(slot);
    if (entry.state === 'in_flight' && entry.token === token) this.entries.delete(key);
  }
}
