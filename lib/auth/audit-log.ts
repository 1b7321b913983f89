import type { AuthAuditEvent } from './api-key.types.js';

/** Receives every authentication event. May be slow or throw: the response never waits for it. */
export type AuthAuditSink = (event: AuthAuditEvent) => void | Promise<void>;

/** The last `perKey` events of each key, in memory, newest first on read. */
export class InMemoryAuditLog {
  private readonly rings = new Map<string, AuthAuditEvent[]>();

  constructor(private readonly perKey = 100) {}

  record(event: AuthAuditEvent): void {
    if (event.keyId === null) return;
    let ring = this.rings.get(event.keyId);
    if (!ring) this.rings.set(event.keyId, (ring = []));
    ring.push(event);
    if (ring.length > this.perKey) ring.shift();
  }

  /** The key's recent events, newest first. */
  eventsFor(keyId: string): AuthAuditEvent[] {
    return [...(this.rings.get(keyId) ?? [])].reverse();
  }
}
