/** A response as it was sent, kept to be replayed byte for byte. */
export interface StoredResponse {
  readonly status: number;
  /** Content headers only (Content-Type, Content-Language, Content-Location, Location). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, base64. */
  readonly body: string;
}

/** What a claim found. */
export type ClaimResult =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'in_flight' }
  | {
      readonly outcome: 'completed';
      readonly fingerprint: string;
      readonly response: StoredResponse;
    };

/**
 * Where idempotency records live. `claim` is atomic: of concurrent claims of one key, exactly one
 * is `claimed`. A claim is held by `token` until completed, released, or `lockTtlMs` passes (a
 * crashed handler).
 */
export interface IdempotencyStore {
  claim(
    key: string,
    fingerprint: string,
    token: string,
    lockTtlMs: number,
    now: number,
  ): Promise<ClaimResult>;
  /** Stores the response under a claim still held by `token`, for `ttlMs`. */
  complete(
    key: string,
    token: string,
    fingerprint: string,
    response: StoredResponse,
    ttlMs: number,
    now: number,
  ): Promise<void>;
  /** Gives up a claim still held by `token`, so that a retry runs. */
  release(key: string, token: string): Promise<void>;
}
