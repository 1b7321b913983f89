/** One API key as the library knows it: never the plaintext, only its SHA-256 digest. */
export interface ApiKeyRecord {
  readonly id: string;
  /** Lower-case hex SHA-256 of the key. */
  readonly digest: string;
  readonly organizationId: string;
  readonly tier: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
  /** Mutable so that a store can revoke a record in place. */
  revokedAt: Date | null;
  /** Addresses and CIDR ranges the key may be used from; empty means anywhere. */
  readonly allowedIps: readonly string[];
  /** Feature → trial end. */
  readonly trials: Readonly<Record<string, Date>>;
  /** Add-on features bought separately from the tier. */
  readonly addons: readonly string[];
}

/** The real outcome of one authentication attempt (audited, never sent). */
export type AuthOutcome =
  'success' | 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'ip_denied';

/** One audit event: exactly one per authentication attempt. Never holds the raw key. */
export interface AuthAuditEvent {
  readonly time: string;
  readonly requestId: string;
  readonly keyId: string | null;
  readonly organizationId: string | null;
  readonly outcome: AuthOutcome;
  readonly clientIp: string;
  readonly method: string;
  readonly route: string;
  readonly userAgent: string | null;
}
