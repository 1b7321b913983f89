import type { AuthAuditEvent } from './api-key.types.js';

/** Receives every authentication event. May be slow or throw: the response never waits for it. */
export type AuthAuditSink = (event: AuthAuditEvent) => void | Promise<void>;

interface Held {
  readonly seq: number;
  readonly event: AuthAuditEvent;
}

/**
 * The last `perKey` events of each key, in memory, newest first on read. Memory is bounded
 * however many keys there are: past `maxEvents` in all, the oldest events are dropped first.
 */
export class InMemoryAuditLog {
  /** Each key's events, oldest first: always its most recent ones, in sequence. */
  private readonly rings = new Map<string, Held[]>();
  /** Every recorded event's key and sequence, oldest first, from `head` on. */
  private fifoKeys: string[] = [];
  private fifoSeqs: number[] = [];
  private head = 0;
  private seq = 0;
  private held = 0;

  constructor(
    private readonly perKey = 100,
    private readonly maxEvents = 10_000,
  ) {}

  /** How many events are held (for tests and metrics). */
  get size(): number {
    return this.held;
  }

  record(event: AuthAuditEvent): void {
    if (event.keyId === null || this.perKey === 0 || this.maxEvents === 0) return;
    const seq = this.seq++;
    let ring = this.rings.get(event.keyId);
    if (!ring) this.rings.set(event.keyId, (ring = []));
    ring.push({ seq, event });
    this.held++;
    this.fifoKeys.push(event.keyId);
    this.fifoSeqs.push(seq);
    if (ring.length > this.perKey) this.dropOldestOf(event.keyId, ring);
    while (this.held > this.maxEvents) this.dropOldest();
    // Consumed entries before `head` and stale ones after it are both dropped by compacting, so
    // the FIFO arrays stay within a few times maxEvents whatever the traffic.
    if (this.head > this.maxEvents || this.fifoKeys.length - this.head > 2 * this.maxEvents) {
      this.compact();
    }
  }

  /** The key's recent events, newest first. */
  eventsFor(keyId: string): AuthAuditEvent[] {
    const ring = this.rings.get(keyId) ?? [];
    const events: AuthAuditEvent[] = new Array(ring.length);
    for (let i = 0; i < ring.length; i++) events[i] = ring[ring.length - 1 - i].event;
    return events;
  }

  /** A FIFO entry is live while its event is still in its key's ring. */
  private isLive(keyId: string, seq: number): boolean {
    const ring = this.rings.get(keyId);
    return ring !== undefined && ring.length > 0 && seq >= ring[0].seq;
  }

  private dropOldest(): void {
    while (this.head < this.fifoKeys.length) {
      const keyId = this.fifoKeys[this.head];
      const seq = this.fifoSeqs[this.head];
      this.head++;
      if (this.isLive(keyId, seq)) {
        this.dropOldestOf(keyId, this.rings.get(keyId) as Held[]);
        return;
      }
    }
  }

  private dropOldestOf(keyId: string, ring: Held[]): void {
    ring.shift();
    this.held--;
    if (ring.length === 0) this.rings.delete(keyId);
  }

  /** Drops consumed and stale FIFO entries. */
  private compact(): void {
    const keys: string[] = [];
    const seqs: number[] = [];
    for (let i = this.head; i < this.fifoKeys.length; i++) {
      if (this.isLive(this.fifoKeys[i], this.fifoSeqs[i])) {
        keys.push(this.fifoKeys[i]);
        seqs.push(this.fifoSeqs[i]);
      }
    }
    this.fifoKeys = keys;
    this.fifoSeqs = seqs;
    this.head = 0;
  }
}
