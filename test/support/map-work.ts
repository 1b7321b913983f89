/**
 * Counts, without timing anything, the work a piece of code asks of every `Map`: lookups and
 * changes (`get`, `set`, `has`, `delete`), and each step of any iteration (`for…of`, `keys()`,
 * `values()`, `entries()`, `forEach`). An iteration step is the thing to look for: V8 starts a
 * Map iterator at the first slot of the map's table, deleted entries included, so even
 * `map.keys().next()` can walk every hole that deletions left at the front.
 */
export interface MapWork {
  /** get, set, has and delete calls. */
  readonly operations: number;
  /** Iterators created, forEach calls, and every step they took. */
  readonly iterationSteps: number;
}

type AnyMap = Map<unknown, unknown>;

export function countMapWork(run: () => void): MapWork {
  const proto = Map.prototype as AnyMap;
  const saved = {
    get: proto.get,
    set: proto.set,
    has: proto.has,
    delete: proto.delete,
    keys: proto.keys,
    values: proto.values,
    entries: proto.entries,
    forEach: proto.forEach,
    iterator: proto[Symbol.iterator],
  };
  let operations = 0;
  let iterationSteps = 0;
  const counting = <T>(iterator: IterableIterator<T>): IterableIterator<T> => {
    iterationSteps++;
    const counted: IterableIterator<T> = {
      next: () => {
        iterationSteps++;
        return iterator.next();
      },
      [Symbol.iterator]: () => counted,
    };
    return counted;
  };
  proto.get = function (this: AnyMap, key: unknown) {
    operations++;
    return saved.get.call(this, key);
  };
  proto.set = function (this: AnyMap, key: unknown, value: unknown) {
    operations++;
    return saved.set.call(this, key, value);
  };
  proto.has = function (this: AnyMap, key: unknown) {
    operations++;
    return saved.has.call(this, key);
  };
  proto.delete = function (this: AnyMap, key: unknown) {
    operations++;
    return saved.delete.call(this, key);
  };
  proto.keys = function (this: AnyMap) {
    return counting(saved.keys.call(this));
  };
  proto.values = function (this: AnyMap) {
    return counting(saved.values.call(this));
  };
  proto.entries = function (this: AnyMap) {
    return counting(saved.entries.call(this));
  };
  proto[Symbol.iterator] = function (this: AnyMap) {
    return counting(saved.iterator.call(this));
  };
  proto.forEach = function (this: AnyMap, callback: (v: unknown, k: unknown, m: AnyMap) => void) {
    iterationSteps++;
    saved.forEach.call(this, (value, key, map) => {
      iterationSteps++;
      callback(value, key, map);
    });
  };
  try {
    run();
  } finally {
    Object.assign(proto, {
      get: saved.get,
      set: saved.set,
      has: saved.has,
      delete: saved.delete,
      keys: saved.keys,
      values: saved.values,
      entries: saved.entries,
      forEach: saved.forEach,
    });
    proto[Symbol.iterator] = saved.iterator;
  }
  return { operations, iterationSteps };
}
