import { describe, expect, it } from '@jest/globals';
import { MemoryIdempotencyStore } from './memory-idempotency.store.js';

const RESPONSE = { status: 201, headers: { 'content-type': 'application/json' }, body: 'e30=' };

describe('MemoryIdempotencyStore', () => {
  it('lets one claim through; others see it in flight, then completed, until the TTL ends', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.claim('k', 'fp', 't1', 60_000, 0)).toEqual({ outcome: 'claimed' });
    expect(await store.claim('k', 'fp', 't2', 60_000, 1)).toEqual({ outcome: 'in_flight' });
    await store.complete('k', 't1', 'fp', RESPONSE, 86_400_000, 2);
    expect(await store.claim('k', 'fp', 't3', 60_000, 3)).toEqual({
      outcome: 'completed',
      fingerprint: 'fp',
      response: RESPONSE,
    });
    // Completed at 2 with a 24 h TTL: still there at 2 + 24 h - 1, gone at 2 + 24 h.
    expect((await store.claim('k', 'fp', 't4', 60_000, 86_400_001)).outcome).toBe('completed');
    expect(await store.claim('k', 'fp', 't5', 60_000, 86_400_002)).toEqual({ outcome: 'claimed' });
  });

  it('releases a claim only for its own token', async () => {
    const store = new MemoryIdempotencyStore();
    await store.claim('k', 'fp', 't1', 60_000, 0);
    await store.release('k', 'other');
    expect((await store.claim('k', 'fp', 't2', 60_000, 1)).outcome).toBe('in_flight');
    await store.release('k', 't1');
    expect((await store.claim('k', 'fp', 't3', 60_000, 2)).outcome).toBe('claimed');
  });

  it('lets the lock of a crashed handler expire', async () => {
    const store = new MemoryIdempotencyStore();
    await store.claim('k', 'fp', 't1', 60_000, 0);
    expect((await store.claim('k', 'fp', 't2', 60_000, 59_999)).outcome).toBe('in_flight');
    expect((await store.claim('k', 'fp', 't3', 60_000, 60_000)).outcome).toBe('claimed');
    // The crashed holder can no longer complete over the new claim.
    await store.complete('k', 't1', 'fp', RESPONSE, 1000, 60_001);
    expect((await store.claim('k', 'fp', 't4', 60_000, 60_002)).outcome).toBe('in_flight');
  });

  it('stays bounded', async () => {
    const store = new MemoryIdempotencyStore(50);
    for (let i = 0; i < 500; i++) await store.claim(`k${i}`, 'fp', 't', 60_000, i);
    expect(store.size).toBe(50);
  });
});
