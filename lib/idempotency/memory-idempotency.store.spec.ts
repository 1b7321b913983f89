import { describe, expect, it } from '@jest/globals';
import { countMapWork } from '../../test/support/map-work.js';
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

  it('keeps locks and records of different lifetimes apart when dropping expired ones', async () => {
    const store = new MemoryIdempotencyStore();
    await store.claim('done', 'fp', 't1', 60_000, 0);
    await store.complete('done', 't1', 'fp', RESPONSE, 86_400_000, 1);
    for (let i = 0; i < 100; i++) await store.claim(`crashed${i}`, 'fp', 't', 60_000, 2);
    // The crashed handlers' locks expire behind a record that lives a day.
    await store.claim('next', 'fp', 't', 60_000, 60_002);
    expect(store.size).toBe(2);
    expect((await store.claim('done', 'fp', 't2', 60_000, 60_003)).outcome).toBe('completed');
  });

  // Issue #13: eviction took the oldest record through a Map iterator, which walks the holes
  // that earlier deletions left, and a sweep visited every record once a minute.
  it.each([1_000, 100_000])(
    'costs the same few Map operations per claim at capacity (%i), never an iteration',
    (maxRecords) => {
      const store = new MemoryIdempotencyStore(maxRecords);
      let now = 0;
      for (let i = 0; i < maxRecords; i++) void store.claim(`old${i}`, 'fp', 't', 60_000, now);
      const claims = 5_000;
      // Each claim completes synchronously; its promise is not awaited inside the count.
      const work = countMapWork(() => {
        for (let i = 0; i < claims; i++) {
          now++;
          void store.claim(`new${i}`, 'fp', 't', 60_000, now);
          void store.complete(`new${i}`, 't', 'fp', RESPONSE, 86_400_000, now);
        }
      });
      expect(work.iterationSteps).toBe(0);
      expect(work.operations / claims).toBeLessThanOrEqual(12);
      expect(store.size).toBe(maxRecords);
    },
  );
});
