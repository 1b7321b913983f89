import type { StoredResponse } from './idempotency.types.js';

/**
 * Thrown by the idempotency guard to answer with a stored response. The exception filter,
 * the one place that writes raw replies, sends it byte for byte with `Idempotent-Replayed: true`.
 */
export class IdempotentReplay {
  constructor(readonly response: StoredResponse) {}
}
