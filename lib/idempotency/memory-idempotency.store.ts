import type { ClaimResult, IdempotencyStore, StoredResponse } from './idempotency.types.js';

type Entry =
  | { state: 'in_flight'; token: string; fingerprint: string; expiresAt: number }
  | { state: 'completed'; fingerprint: string; response: StoredResponse; expiresAt: number };

/**
 * Records in memory, for one instance. Bounded: expired records are swept as requests arrive,
 * and past `maxRecords` the oldest are forgotten.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private nextSweep = 0;

  constructor(
    private readonly maxRecords = 100_000,
    private readonly sweepEveryMs = 60_000,
  ) {}

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
    if (now >= this.nextSweep) this.sweep(now);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      return entry.state === 'in_flight'
        ? { outcome: 'in_flight' }
        : { outcome: 'completed', fingerprint: entry.fingerprint, response: entry.response };
    }
    this.entries.delete(key);
    if (this.entries.size >= this.maxRecords)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { state: 'in_flight', token, fingerprint, expiresAt: now + lockTtlMs });
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
    const entry = this.entries.get(key);
    if (entry?.state !== 'in_flight' || entry.token !== token) return;
    this.entries.set(key, { state: 'completed', fingerprint, response, expiresAt: now + ttlMs });
  }

  async release(key: string, token: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry?.state === 'in_flight' && entry.token === token) this.entries.delete(key);
  }

  private sweep(now: number): void {
    this.nextSweep = now + this.sweepEveryMs;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
