import { Inject, Injectable, Logger } from '@nestjs/common';
import { IpAllowlist } from '../request-context/ip-allowlist.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { API_KEYS_OPTIONS, type ResolvedApiKeysOptions } from './api-keys.options.js';
import { InMemoryAuditLog } from './audit-log.js';
import { digestApiKey } from './api-key.digest.js';
import type { ApiKeyRecord, AuthAuditEvent, AuthOutcome } from './api-key.types.js';
import { ExpiringMap } from '../shared/expiring-map.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';

/** Keys longer than this (in bytes) are malformed. */
export const MAX_API_KEY_BYTES = 512;
/** Printable ASCII, no spaces: anything else is malformed. */
const WELL_FORMED_KEY = /^[\x21-\x7e]+$/;
/**
 * Digested in place of a missing or malformed key, so that every attempt does the same work
 * (a digest and one lookup) whatever is wrong with it.
 */
const STAND_IN_KEY = 'nest-api-errors:no-usable-key';

/** The allowlist of every key that has none: one instance, not one per key. */
const ANYWHERE = new IpAllowlist([]);

export interface AuthenticationResult {
  readonly outcome: AuthOutcome;
  readonly record: ApiKeyRecord | undefined;
}

/**
 * Authenticates presented keys against the store, keeps the audit log, and revokes keys.
 * Injectable, so apps can call `revoke()` and `auditEvents()`.
 */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeys');
  /** Lookups by digest, found (the record) and not found (undefined) alike. */
  private readonly cache: ExpiringMap<ApiKeyRecord | undefined> | undefined;
  private readonly allowlists = new WeakMap<ApiKeyRecord, IpAllowlist>();
  private readonly auditLog: InMemoryAuditLog;

  constructor(
    @Inject(API_KEYS_OPTIONS) private readonly options: ResolvedApiKeysOptions | undefined,
    @Inject(REQUEST_CONTEXT_OPTIONS) private readonly requestOptions: ResolvedRequestContextOptions,
  ) {
    this.auditLog = new InMemoryAuditLog(options?.auditEventsPerKey, options?.auditMaxEvents);
    this.cache =
      options && options.cacheTtlMs > 0 && options.cacheSize > 0
        ? new ExpiringMap(options.cacheSize)
        : undefined;
  }

  private get config(): ResolvedApiKeysOptions {
    const config = this.options;
    if (!config) throw new Error('nest-api-errors: ApiKeyService needs the "apiKeys" option.');
    return config;
  }

  /**
   * Decides the outcome of one attempt. Every kind of failure goes through the same steps —
   * length cap, one digest, one lookup, one allowlist check — so that timing tells them apart no
   * more than the response does.
   */
  authenticate(
    presented: string | undefined,
    clientIp: string,
  ): MaybePromise<AuthenticationResult> {
    let shape: 'missing' | 'malformed' | undefined;
    if (presented === undefined || presented === '') shape = 'missing';
    else if (
      presented.length > MAX_API_KEY_BYTES ||
      Buffer.byteLength(presented) > MAX_API_KEY_BYTES ||
      !WELL_FORMED_KEY.test(presented)
    ) {
      shape = 'malformed';
    }
    const lookup = this.lookup(digestApiKey(shape ? STAND_IN_KEY : (presented as string)));
    return whenReady(lookup, (record) => this.decide(shape, record, clientIp));
  }

  private decide(
    shape: 'missing' | 'malformed' | undefined,
    record: ApiKeyRecord | undefined,
    clientIp: string,
  ): AuthenticationResult {
    // One allowlist check on every attempt, before anything is decided: a key refused only for
    // the address it is used from must take as long to refuse as a key that does not exist.
    // An allowlist costs the same whether or not it lists the address.
    const found = shape ? undefined : record;
    const allowed = (found ? this.allowlistOf(found) : ANYWHERE).allows(clientIp);
    const now = this.requestOptions.clock();
    if (shape) return { outcome: shape, record: undefined };
    if (!record) return { outcome: 'unknown', record: undefined };
    if (record.revokedAt && record.revokedAt.getTime() <= now)
      return { outcome: 'revoked', record };
    if (record.expiresAt && record.expiresAt.getTime() <= now)
      return { outcome: 'expired', record };
    if (!allowed) return { outcome: 'ip_denied', record };
    return { outcome: 'success', record };
  }

  /** Revokes a key now (or at `at`); takes effect on this instance's next request. */
  async revoke(keyId: string, at: Date = new Date(this.requestOptions.clock())): Promise<boolean> {
    const { store } = this.config;
    const record = await store.findById(keyId);
    const revoked = await store.revoke(keyId, at);
    if (record) this.cache?.delete(record.digest);
    return revoked;
  }

  /** The key with this id, from the store. */
  findById(keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.config.store.findById(keyId);
  }

  /** The key's most recent authentication events, newest first. */
  auditEvents(keyId: string): AuthAuditEvent[] {
    return this.auditLog.eventsFor(keyId);
  }

  /** Records an event and hands it to the app's sink without waiting for it. */
  audit(event: AuthAuditEvent): void {
    this.auditLog.record(event);
    const sink = this.options?.auditSink;
    if (!sink) return;
    setImmediate(() => {
      try {
        const result = sink(event);
        if (result && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).then(undefined, (error: unknown) =>
            this.sinkFailed(event, error),
          );
        }
      } catch (error) {
        this.sinkFailed(event, error);
      }
    });
  }

  private sinkFailed(event: AuthAuditEvent, error: unknown): void {
    this.logger.warn(
      `[${event.requestId}] audit sink failed: ${(error as Error)?.message ?? String(error)}`,
    );
  }

  private allowlistOf(record: ApiKeyRecord): IpAllowlist {
    if (record.allowedIps.length === 0) return ANYWHERE;
    let allowlist = this.allowlists.get(record);
    if (!allowlist) this.allowlists.set(record, (allowlist = new IpAllowlist(record.allowedIps)));
    return allowlist;
  }

  /**
   * One store lookup, through a bounded cache of found and not-found digests: O(1) at capacity,
   * however many distinct keys are presented.
   */
  private lookup(digest: string): MaybePromise<ApiKeyRecord | undefined> {
    const { cacheTtlMs, store } = this.config;
    const cache = this.cache;
    if (!cache) return store.findByDigest(digest);
    const now = this.requestOptions.clock();
    const slot = cache.find(digest, now);
    if (slot !== -1) return cache.valueAt(slot);
    return whenReady(store.findByDigest(digest), (record) => {
      cache.set(digest, record, now + cacheTtlMs, now);
      return record;
    });
  }
}
