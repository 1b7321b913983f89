/** A value that may or may not have to be awaited. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Applies `then` at once to a plain value, or after a promise settles. Lets a hot path stay
 * synchronous (no promise, no microtask) whenever the data is already at hand — an in-memory
 * store, a cache hit — and still work with asynchronous stores.
 */
export function whenReady<T, R>(
  value: MaybePromise<T>,
  then: (value: T) => MaybePromise<R>,
): MaybePromise<R> {
  return value instanceof Promise ? value.then(then) : then(value);
}
