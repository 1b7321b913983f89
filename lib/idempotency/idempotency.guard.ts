import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isRejectedByPipes } from '@nestjs/core/internal';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiException } from '../errors/api.exception.js';
import {
  isResponseStarted,
  rawRequest,
  rawResponse,
  routeTemplateOf,
  sendSerialised,
} from '../platform/platform.js';
import { clientIp } from '../request-context/client-ip.js';
import { contextPolicyOf } from '../request-context/execution-context.js';
import { getPrincipal } from '../request-context/principal.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import {
  attachRequestContext,
  requestContextOf,
} from '../request-context/request-context.store.js';
import { OutageLog } from '../shared/outage-log.js';
import { idempotentOptionsOf } from './idempotent.decorator.js';
import {
  idempotencyKeyInUseError,
  idempotencyKeyRequiredError,
  idempotencyKeyReusedError,
  malformedIdempotencyKeyError,
} from './idempotency.errors.js';
import { IDEMPOTENCY_OPTIONS, type ResolvedIdempotencyOptions } from './idempotency.options.js';
import { IDEMPOTENCY_STORE } from './idempotency-store.provider.js';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';
import type { IdempotencyStore, StoredResponse } from './idempotency.types.js';
import { captureResponse, type CapturedResponse } from './response-capture.js';

/** Headers replayed with a stored response; the rest belong to the request that replays it. */
const CONTENT_HEADERS = ['content-type', 'content-language', 'content-location', 'location'];

/** Outcomes that release the key, so that a corrected retry runs. */
const NOT_STORED_STATUSES = new Set([401, 403, 429]);
const NOT_STORED_CODES = new Set(['validation_error', 'idempotency_key_in_use']);

/**
 * Makes `@Idempotent()` routes safe to retry. The last global guard: after authentication,
 * entitlements and rate limits (a 401, 403 or 429 never claims a key, and replays still count
 * against rate limits), before pipes and the handler. The response is captured on the raw Node
 * response, so no interceptor pipeline is needed, and routes without idempotency pay nothing.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  private readonly logger = new Logger('Idempotency');
  private readonly outage = new OutageLog(
    this.logger,
    'idempotency store',
    'answering idempotent requests with 503 until it answers',
  );

  constructor(
    @Inject(IDEMPOTENCY_OPTIONS) private readonly config: ResolvedIdempotencyOptions,
    @Inject(REQUEST_CONTEXT_OPTIONS) private readonly requestOptions: ResolvedRequestContextOptions,
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = contextPolicyOf(context, this.requestOptions);
    if (policy === 'skip') return true;
    const route = idempotentOptionsOf(this.reflector, context.getHandler(), context.getClass());
    if (policy === 'deny') {
      // No Idempotency-Key can be read outside HTTP: an @Idempotent handler there would run
      // unprotected on every retry.
      if (route === undefined) return true;
      throw new ApiException('forbidden');
    }
    const request = context.switchToHttp().getRequest<{ body?: unknown }>();
    const raw = rawRequest(request);
    const method = raw.method ?? 'GET';
    if (route === undefined && !this.config.methods.includes(method)) return true;

    const header = raw.headers['idempotency-key'];
    if (header === undefined) {
      if (route?.required ?? this.config.required) throw idempotencyKeyRequiredError();
      return true;
    }
    const key = parseIdempotencyKey(header);
    if (key === undefined) throw malformedIdempotencyKeyError();

    const template = routeTemplateOf(request);
    let fingerprint: string;
    try {
      fingerprint = requestFingerprint(method, template, request.body);
    } catch {
      throw new ApiException('bad_request', 'The request body is nested too deeply');
    }
    const recordKey = this.recordKey(request, raw, method, template, key);
    return this.claim(context, request, recordKey, fingerprint);
  }

  /** Claims the key, or answers with its replay, its conflict or a 503. */
  private async claim(
    context: ExecutionContext,
    request: unknown,
    recordKey: string,
    fingerprint: string,
  ): Promise<boolean> {
    const token = randomUUID();
    let claim;
    try {
      claim = await this.store.claim(
        recordKey,
        fingerprint,
        token,
        this.config.lockTtlMs,
        this.requestOptions.clock(),
      );
    } catch (error) {
      // A claim that timed out may still run once the store answers again (Redis executes
      // what was sent before it stalled), and would then hold the key for lockTtlMs against
      // the client's retry. Give it up at once: the release is sent on the same connection
      // right behind the claim, so if the claim ever runs, the release runs after it. Releasing
      // a claim that never happened does nothing (it is guarded by the token).
      this.store.release(recordKey, token).catch(() => undefined);
      // Never run an idempotent request unprotected.
      this.outage.failed(error);
      throw this.outage.unavailable();
    }
    this.outage.recovered();
    if (claim.outcome === 'in_flight') {
      throw idempotencyKeyInUseError();
    }
    if (claim.outcome === 'completed') {
      if (claim.fingerprint !== fingerprint) {
        throw idempotencyKeyReusedError(this.config.reusedStatus);
      }
      return this.replay(context, claim.response);
    }

    captureResponse(
      rawResponse(context.switchToHttp().getResponse()),
      this.config.maxResponseBytes,
      (captured) => this.settle(request, recordKey, token, fingerprint, captured),
    );
    return true;
  }

  /**
   * Answers with a stored response, byte for byte, marked as a replay, with this request's id.
   * Written here rather than thrown: a thrown value would pass through the app's own exception
   * filters, which know nothing of replays. What follows the guards (pipes, the handler) must
   * not run, so the returned promise never settles; nothing holds it, and it is collected with
   * the request.
   */
  private replay(context: ExecutionContext, stored: StoredResponse): Promise<boolean> {
    const http = context.switchToHttp();
    const response = http.getResponse<unknown>();
    if (!isResponseStarted(response)) {
      const { requestId } = attachRequestContext(
        http.getRequest(),
        response,
        this.requestOptions.requestIdHeader,
      );
      sendSerialised(
        response,
        stored.status,
        {
          ...stored.headers,
          'Idempotent-Replayed': 'true',
          [this.requestOptions.requestIdHeader]: requestId,
        },
        Buffer.from(stored.body, 'base64'),
      );
    }
    return new Promise<boolean>(() => undefined);
  }

  /**
   * Records are scoped by principal (organization and key) or, without one, client IP; then by
   * method, route template and key. Hashed, so any key fits in any store.
   */
  private recordKey(
    request: unknown,
    raw: IncomingMessage,
    method: string,
    template: string,
    key: string,
  ): string {
    const principal = getPrincipal(request);
    const scope = principal
      ? `key\n${principal.organizationId}\n${principal.keyId}`
      : `ip\n${clientIp(raw, this.requestOptions.trustedProxies)}`;
    const hash = createHash('sha256')
      .update(`${scope}\n${method}\n${template}\n${key}`)
      .digest('hex');
    return principal ? `{${encodeURIComponent(principal.organizationId)}}:${hash}` : hash;
  }

  /** Stores what the handler produced, or releases the key for a retry. */
  private settle(
    request: unknown,
    recordKey: string,
    token: string,
    fingerprint: string,
    captured: CapturedResponse | undefined,
  ): void {
    const keep =
      captured !== undefined &&
      (captured.status >= 500
        ? this.config.storeServerErrors
        : !NOT_STORED_STATUSES.has(captured.status) && !this.isInvalidRequest(request));
    const work = keep
      ? this.store.complete(
          recordKey,
          token,
          fingerprint,
          this.stored(captured),
          this.config.ttlMs,
          this.requestOptions.clock(),
        )
      : this.store.release(recordKey, token);
    // On failure the lock expires after lockTtlMs; the response itself was sent.
    work.then(
      () => this.outage.recovered(),
      (error: unknown) => this.outage.failed(error),
    );
  }

  /**
   * A request that failed validation, so that its corrected retry runs: its pipes rejected it
   * (Nest marks it, whichever filter answered), or the library's filter answered it with
   * validation_error (also thrown by handlers for business rules).
   */
  private isInvalidRequest(request: unknown): boolean {
    if (isRejectedByPipes(request)) return true;
    const code = requestContextOf(request)?.errorCode;
    return code !== undefined && NOT_STORED_CODES.has(code);
  }

  private stored(captured: CapturedResponse): StoredResponse {
    const headers: Record<string, string> = {};
    for (const name of CONTENT_HEADERS) {
      const value = captured.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    return { status: captured.status, headers, body: captured.body.toString('base64') };
  }
}
