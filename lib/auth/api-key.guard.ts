import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { ApiException } from '../errors/api.exception.js';
import { rawRequest, routeParamsOf, routeTemplateOf } from '../platform/platform.js';
import { clientIp } from '../request-context/client-ip.js';
import { contextPolicyOf } from '../request-context/execution-context.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from '../request-context/request-context.options.js';
import { attachRequestContext } from '../request-context/request-context.store.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { isoTime } from '../shared/iso-time.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';
import { API_KEYS_OPTIONS, type ResolvedApiKeysOptions } from './api-keys.options.js';
import { ApiKeyService } from './api-key.service.js';
import type { ApiKeyRecord, AuthOutcome } from './api-key.types.js';
import type { TenantSource } from './auth.decorators.js';
import {
  failedAuthenticationsError,
  missingScopeError,
  missingTenantError,
  otherTenantError,
  unauthorizedError,
  unauthorizedHeaders,
} from './auth.errors.js';
import { FailureLimiter } from './failure-limiter.js';
import { routeAuthOf, type RouteAuth } from './route-auth.js';

/**
 * The global API-key guard. Every failure to authenticate — no key, an empty, oversized or
 * malformed key, an unknown, revoked or expired key, a request from outside the key's
 * allowlist — is answered with the same 401; only the audit log knows which it was.
 * Then checks `@RequireScopes` (403) and `@Tenant` (403, or 400 for a missing tenant header).
 *
 * A handler called over another transport (`rpc`, `ws`, `graphql`) carries no key this guard
 * can read: unless it is `@Public()` or the app set `contexts.<type>: 'skip'`, it is refused
 * with the same 401.
 *
 * To change how a key is read or how a failure is answered, extend it, override
 * {@link ApiKeyGuard.presentedKey} or {@link ApiKeyGuard.unauthorized}, and install the subclass
 * with `guards: { apiKey: MyKeyGuard }`.
 *
 * @example
 * @Injectable()
 * export class QueryKeyGuard extends ApiKeyGuard {
 *   protected override presentedKey(request: IncomingMessage) {
 *     return new URL(request.url ?? '/', 'http://x').searchParams.get('api_key') ?? undefined;
 *   }
 * }
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly routes = new HandlerCache<RouteAuth>();
  private readonly failures: FailureLimiter | undefined;
  private readonly unauthorizedHeaders: Record<string, string>;
  private readonly headerName: string;

  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly config: ResolvedApiKeysOptions,
    @Inject(REQUEST_CONTEXT_OPTIONS)
    protected readonly requestOptions: ResolvedRequestContextOptions,
    protected readonly reflector: Reflector,
    protected readonly keys: ApiKeyService,
  ) {
    this.headerName = config.header.toLowerCase();
    this.unauthorizedHeaders = unauthorizedHeaders(config.header);
    this.failures =
      config.failuresPerMinute > 0
        ? new FailureLimiter(config.failuresPerMinute, 60_000, requestOptions.clock)
        : undefined;
  }

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const policy = contextPolicyOf(context, this.requestOptions);
    if (policy === 'skip') return true;
    const route = this.routes.get(context, () =>
      routeAuthOf(this.reflector, context.getHandler(), context.getClass()),
    );
    if (route.isPublic) return true;
    if (policy === 'deny') throw this.unauthorized();

    const http = context.switchToHttp();
    const request = http.getRequest<unknown>();
    const raw = rawRequest(request);
    // Normally started by the request hook already; the principal is kept in it.
    const requestContext = attachRequestContext(
      request,
      http.getResponse<unknown>(),
      this.requestOptions.requestIdHeader,
    );
    const ip = clientIp(raw, this.requestOptions.trustedProxies);
    const blockedFor = this.failures?.blockedFor(ip) ?? 0;
    if (blockedFor > 0) throw failedAuthenticationsError(blockedFor);
    // Synchronous when the lookup is (an in-memory store, a cache hit): no promise per request.
    return whenReady(this.keys.authenticate(this.presentedKey(raw), ip), ({ outcome, record }) => {
      this.audit(request, raw, requestContext.requestId, ip, outcome, record);
      if (outcome !== 'success' || !record) {
        this.failures?.recordFailure(ip);
        throw this.unauthorized();
      }
      requestContext.principal = {
        keyId: record.id,
        organizationId: record.organizationId,
        tier: record.tier,
        scopes: record.scopes,
        trials: record.trials,
        addons: record.addons,
      };
      this.checkScopes(route.scopes, record);
      this.checkTenant(route.tenant, request, raw, record);
      return true;
    });
  }

  /**
   * The one 401 every authentication failure gets, non-HTTP refusals included. Override to
   * change its headers or message; keep it the same for every failure, or the answer tells an
   * attacker which keys exist.
   */
  protected unauthorized(): ApiException {
    return unauthorizedError(this.unauthorizedHeaders);
  }

  /**
   * The key as presented: the key header, else (when enabled) a Bearer token. Override to read
   * it from elsewhere; return undefined for "no key" and a non-key string for a malformed one.
   */
  protected presentedKey(raw: IncomingMessage): string | undefined {
    const value = raw.headers[this.headerName];
    if (Array.isArray(value)) return value.join(', ');
    if (value !== undefined || !this.config.bearer) return value;
    const authorization = raw.headers.authorization;
    if (authorization === undefined) return undefined;
    const match = /^Bearer +(\S*)$/i.exec(authorization);
    // Something other than a bearer token is a malformed attempt, not a missing one.
    return match ? match[1] : ' ';
  }

  private audit(
    request: unknown,
    raw: IncomingMessage,
    requestId: string,
    ip: string,
    outcome: AuthOutcome,
    record: ApiKeyRecord | undefined,
  ): void {
    const userAgent = raw.headers['user-agent'];
    this.keys.audit({
      time: isoTime(this.requestOptions.clock()),
      requestId,
      keyId: record?.id ?? null,
      organizationId: record?.organizationId ?? null,
      outcome,
      clientIp: ip,
      method: raw.method ?? '',
      route: routeTemplateOf(request),
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    });
  }

  private checkScopes(required: readonly string[], record: ApiKeyRecord): void {
    if (required.some((scope) => !record.scopes.includes(scope))) throw missingScopeError();
  }

  private checkTenant(
    source: TenantSource | undefined,
    request: unknown,
    raw: IncomingMessage,
    record: ApiKeyRecord,
  ): void {
    if (!source) return;
    let tenant: string | undefined;
    if ('param' in source) {
      tenant = routeParamsOf(request)[source.param];
    } else {
      const header = raw.headers[source.header.toLowerCase()];
      tenant = typeof header === 'string' ? header : undefined;
    }
    if (tenant === undefined || tenant === '') throw missingTenantError(source);
    if (tenant !== record.organizationId) throw otherTenantError(source);
  }
}
