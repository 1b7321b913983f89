import { describe, expect, it } from '@jest/globals';
import type { AuthAuditEvent } from './api-key.types.js';
import { InMemoryAuditLog } from './audit-log.js';

let n = 0;
const event = (keyId: string | null): AuthAuditEvent => ({
  time: new Date(n * 1000).toISOString(),
  requestId: `req_${n++}`,
  keyId,
  organizationId: keyId ? 'org' : null,
  outcome: keyId ? 'success' : 'unknown',
  clientIp: '127.0.0.1',
  method: 'GET',
  route: '/v1/me',
  userAgent: null,
});

describe('InMemoryAuditLog', () => {
  it('keeps the last perKey events of a key, newest first', () => {
    const log = new InMemoryAuditLog(3, 100);
    const events = [1, 2, 3, 4, 5].map(() => event('k1'));
    for (const e of events) log.record(e);
    expect(log.eventsFor('k1')).toEqual([events[4], events[3], events[2]]);
    expect(log.eventsFor('other')).toEqual([]);
  });

  it('keeps nothing for unknown keys (no key id)', () => {
    const log = new InMemoryAuditLog();
    log.record(event(null));
    expect(log.size).toBe(0);
  });

  it('drops the oldest events overall past maxEvents, whatever their key', () => {
    const log = new InMemoryAuditLog(100, 4);
    const a1 = event('a');
    const b1 = event('b');
    const a2 = event('a');
    const c1 = event('c');
    const c2 = event('c');
    for (const e of [a1, b1, a2, c1, c2]) log.record(e);
    expect(log.size).toBe(4);
    expect(log.eventsFor('a')).toEqual([a2]);
    expect(log.eventsFor('b')).toEqual([b1]);
    expect(log.eventsFor('c')).toEqual([c2, c1]);
  });

  it('stays bounded with a hundred thousand keys', () => {
    const log = new InMemoryAuditLog(100, 10_000);
    for (let i = 0; i < 300_000; i++) log.record(event(`key_${i % 100_000}`));
    expect(log.size).toBe(10_000);
    expect(log.eventsFor('key_99999')).toHaveLength(1);
    expect(log.eventsFor('key_0')).toHaveLength(0);
    // The FIFO of dropped events does not grow with the number of requests either.
    expect((log as unknown as { fifoKeys: string[] }).fifoKeys.length).toBeLessThanOrEqual(30_000);
  });

  it('stays bounded when per-key caps alone do the dropping', () => {
    const log = new InMemoryAuditLog(2, 1000);
    for (let i = 0; i < 50_000; i++) log.record(event(`key_${i % 10}`));
    expect(log.size).toBe(20);
    expect((log as unknown as { fifoKeys: string[] }).fifoKeys.length).toBeLessThanOrEqual(2000);
  });
});
