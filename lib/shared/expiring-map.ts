const NONE = -1;
const INITIAL_SLOTS = 1024;

/** The entries of one group, oldest first: a doubly linked list through the slot arrays. */
interface Group {
  head: number;
  tail: number;
}

/**
 * A bounded map from string keys to values that expire, in constant time per operation at
 * capacity: no operation ever iterates a `Map` or scans the entries.
 *
 * Why not a `Map` and `map.keys().next()` for "the oldest entry": V8 leaves a deleted entry as
 * a hole in the map's table until the table is rebuilt, and an iterator starts at the table's
 * first slot, so after n deletions at the front every `keys().next()` walks n holes (issue #13).
 * Here the order lives in linked lists over integer slots, and the `Map` is only ever asked
 * `get`, `set` and `delete`.
 *
 * Entries are kept in groups, each in insertion order. Within a group whose entries all live
 * equally long (one TTL per group: a rate-limit window, a lock, a cache lifetime), insertion
 * order is expiry order, so expired entries are dropped from the groups' heads as entries are
 * added, each one once: amortised O(1) per insertion. When the map is full, the group head that
 * expires soonest is evicted: O(number of groups).
 *
 * Values live in slots; `find` hands out a slot, valid until the next `set` or `delete` (which
 * may renumber slots when the arrays grow or shrink).
 */
export class ExpiringMap<V> {
  private readonly index = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private values: (V | undefined)[] = [];
  private expiry: Float64Array;
  private prev: Int32Array;
  private next: Int32Array;
  private groupOf: Uint16Array;
  private readonly groups: Group[] = [];
  private readonly groupIds = new Map<number, number>();
  /** Slots given back; slots at and above `highWater` were never handed out. */
  private free: number[] = [];
  private highWater = 0;
  private readonly initialSlots: number;
  /**
   * Entries visited by expiry, eviction and resizing since the map was created: the only work
   * it does besides constant-time `Map` lookups. Tests count it instead of timing operations.
   */
  visited = 0;

  /** @param maxEntries entries held at most (at least 1) */
  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`ExpiringMap: maxEntries must be a whole number ≥ 1, not ${maxEntries}`);
    }
    this.initialSlots = Math.min(INITIAL_SLOTS, maxEntries);
    this.expiry = new Float64Array(this.initialSlots);
    this.prev = new Int32Array(this.initialSlots);
    this.next = new Int32Array(this.initialSlots);
    this.groupOf = new Uint16Array(this.initialSlots);
  }

  /** How many entries are held, expired ones not yet dropped included. */
  get size(): number {
    return this.index.size;
  }

  /** How many entries the slot arrays have room for before they grow. */
  get capacity(): number {
    return this.expiry.length;
  }

  /** The slot of `key`, or -1 when it is absent or expired at `now` (then it is dropped). */
  find(key: string, now: number): number {
    const slot = this.index.get(key);
    if (slot === undefined) return NONE;
    if (this.expiry[slot] <= now) {
      this.remove(slot);
      return NONE;
    }
    return slot;
  }

  /** The slot of `key` whether or not it has expired, or -1. */
  peek(key: string): number {
    return this.index.get(key) ?? NONE;
  }

  valueAt(slot: number): V {
    return this.values[slot] as V;
  }

  expiresAt(slot: number): number {
    return this.expiry[slot];
  }

  /** Replaces a value in place: the entry keeps its expiry and its place. */
  replaceAt(slot: number, value: V): void {
    this.values[slot] = value;
  }

  /** The value of `key`, or undefined when it is absent or expired at `now`. */
  get(key: string, now: number): V | undefined {
    const slot = this.find(key, now);
    return slot === NONE ? undefined : this.valueAt(slot);
  }

  /**
   * Stores `value` under `key` until `expiresAt`, as the newest entry of `group` (give entries
   * of one lifetime one group: their TTL is a good group id). A key already held is replaced.
   * Drops the entries that have expired at `now` from the groups' heads first; when the map is
   * still full, evicts the group head that expires soonest.
   */
  set(key: string, value: V, expiresAt: number, now: number, group = 0): void {
    const existing = this.index.get(key);
    if (existing !== undefined) this.remove(existing);
    this.dropExpired(now);
    if (this.index.size >= this.maxEntries) this.evictSoonest();
    this.shrinkIfSparse();
    const slot = this.allocate();
    const g = this.groupIndex(group);
    this.keys[slot] = key;
    this.values[slot] = value;
    this.expiry[slot] = expiresAt;
    this.groupOf[slot] = g;
    this.append(g, slot);
    this.index.set(key, slot);
  }

  /** Removes `key`; true when it was held. */
  delete(key: string): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    this.remove(slot);
    return true;
  }

  private groupIndex(id: number): number {
    let g = this.groupIds.get(id);
    if (g === undefined) {
      g = this.groups.length;
      if (g > 0xffff) throw new RangeError('ExpiringMap: more than 65,536 groups');
      this.groups.push({ head: NONE, tail: NONE });
      this.groupIds.set(id, g);
    }
    return g;
  }

  private dropExpired(now: number): void {
    for (const group of this.groups) {
      while (group.head !== NONE && this.expiry[group.head] <= now) {
        this.visited++;
        this.remove(group.head);
      }
    }
  }

  private evictSoonest(): void {
    let soonest = NONE;
    for (const group of this.groups) {
      if (group.head === NONE) continue;
      this.visited++;
      if (soonest === NONE || this.expiry[group.head] < this.expiry[soonest]) soonest = group.head;
    }
    if (soonest !== NONE) this.remove(soonest);
  }

  private append(g: number, slot: number): void {
    const group = this.groups[g];
    this.prev[slot] = group.tail;
    this.next[slot] = NONE;
    if (group.tail === NONE) group.head = slot;
    else this.next[group.tail] = slot;
    group.tail = slot;
  }

  private remove(slot: number): void {
    const group = this.groups[this.groupOf[slot]];
    const before = this.prev[slot];
    const after = this.next[slot];
    if (before === NONE) group.head = after;
    else this.next[before] = after;
    if (after === NONE) group.tail = before;
    else this.prev[after] = before;
    this.index.delete(this.keys[slot] as string);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.free.push(slot);
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.highWater === this.expiry.length) {
      this.resize(Math.min(this.maxEntries, this.expiry.length * 2));
    }
    return this.highWater++;
  }

  /** After a spike, gives the memory back: once three quarters of the room is unused. */
  private shrinkIfSparse(): void {
    let capacity = this.expiry.length;
    const live = this.index.size + 1;
    while (capacity > this.initialSlots && live < capacity / 4) capacity /= 2;
    if (capacity < this.expiry.length) this.resize(Math.max(this.initialSlots, capacity));
  }

  /**
   * Moves every entry into arrays of `capacity` slots, numbered from 0 in group order. O(size),
   * and only after the size has doubled or fallen to a quarter since the last resize: amortised
   * O(1) per operation.
   */
  private resize(capacity: number): void {
    const keys: (string | undefined)[] = [];
    const values: (V | undefined)[] = [];
    const expiry = new Float64Array(capacity);
    const prev = new Int32Array(capacity);
    const next = new Int32Array(capacity);
    const groupOf = new Uint16Array(capacity);
    let n = 0;
    this.groups.forEach((group, g) => {
      let slot = group.head;
      const head = slot === NONE ? NONE : n;
      while (slot !== NONE) {
        this.visited++;
        const key = this.keys[slot] as string;
        keys[n] = key;
        values[n] = this.values[slot];
        expiry[n] = this.expiry[slot];
        groupOf[n] = g;
        prev[n] = n === head ? NONE : n - 1;
        next[n] = NONE;
        if (n !== head) next[n - 1] = n;
        this.index.set(key, n);
        n++;
        slot = this.next[slot];
      }
      group.head = head;
      group.tail = head === NONE ? NONE : n - 1;
    });
    this.keys = keys;
    this.values = values;
    this.expiry = expiry;
    this.prev = prev;
    this.next = next;
    this.groupOf = groupOf;
    this.free = [];
    this.highWater = n;
  }
}
