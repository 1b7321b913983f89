import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions, ResolvedApiKeysOptions } from '../api-errors.options.js';
import { ApiException } from '../errors/api.exception.js';
import { rawRequest, routeParamsOf, routeTemplateOf } from '../platform/platform.js';
import { attachRequestContext } from '../request-id/request-context.store.js';
import {
  PUBLIC_ROUTE,
  REQUIRED_SCOPES,
  TENANT_SOURCE,
  type TenantSource,
} from './auth.decorators.js';
import { ApiKeyService } from './api-key.service.js';
import type { ApiKeyRecord, AuthOutcome } from './api-key.types.js';
import { clientIp } from './client-ip.js';
import { FailureLimiter } from './failure-limiter.js';
import { HandlerCache } from '../shared/handler-cache.js';
import { isoTime } from '../shared/iso-time.js';
import { whenReady, type MaybePromise } from '../shared/maybe-async.js';

/**
 * The global API-key guard. Every failure to authenticate — no key, an empty, oversized or
 * malformed key, an unknown, revoked or expired key, a request from outside the key's
 * allowlist — is answered with the same 401; only the audit log knows which it was.
 * Then checks `@RequireScopes` (403) and `@Tenant` (403, or 400 for a missing tenant header).
 */
/** A route's authentication requirements. */
interface RouteAuth {
  readonly isPublic: boolean;
  readonly scopes: readonly string[];
  readonly tenant: TenantSource | undefined;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly routes = new HandlerCache<RouteAuth>();
  private readonly config: ResolvedApiKeysOptions | undefined;
  private readonly failures: FailureLimiter | undefined;
  private readonly unauthorizedHeaders: Record<string, string>;
  private readonly headerName: string;

  constructor(
    @Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions,
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {
    this.config = options.apiKeys;
    this.headerName = this.config?.header.toLowerCase() ?? 'x-api-key';
    this.unauthorizedHeaders = {
      'WWW-Authenticate': `ApiKey header="${this.config?.header ?? 'X-API-Key'}"`,
    };
    this.failures =
      this.config && this.config.failuresPerMinute > 0
        ? new FailureLimiter(this.config.failuresPerMinute, 60_000, options.clock)
        : undefined;
  }

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const config = this.config;
    if (!config || context.getType() !== 'http') return true;
    const route = this.routes.get(context, () => this.routeOf(context));
    if (route.isPublic) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<unknown>();
    const raw = rawRequest(request);
    // Normally started by the request hook already; the principal is kept in it.
    const requestContext = attachRequestContext(
      request,
      http.getResponse<unknown>(),
      this.options.requestIdHeader,
    );
    const ip = clientIp(raw, config.trustedProxies);
    const blockedFor = this.failures?.blockedFor(ip) ?? 0;
    if (blockedFor > 0) {
      throw new ApiException('rate_limit_exceeded', undefined, {
        headers: { 'Retry-After': String(blockedFor) },
      });
    }
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

  /** The one 401 every authentication failure gets. Override to change its headers. */
  protected unauthorized(): ApiException {
    return new ApiException('unauthorized', undefined, { headers: this.unauthorizedHeaders });
  }

  /** The key as presented: the key header, else (when enabled) a Bearer token. */
  protected presentedKey(raw: IncomingMessage): string | undefined {
    const value = raw.headers[this.headerName];
    if (Array.isArray(value)) return value.join(', ');
    if (value !== undefined || !this.config?.bearer) return value;
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
      time: isoTime(this.options.clock()),
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

  /** What the route's decorators ask for, read once. */
  private routeOf(context: ExecutionContext): RouteAuth {
    const targets = [context.getHandler(), context.getClass()];
    return {
      isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
      scopes: this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, [
        context.getClass(),
        context.getHandler(),
      ]),
      tenant: this.reflector.getAllAndOverride<TenantSource | undefined>(TENANT_SOURCE, targets),
    };
  }

  private checkScopes(required: readonly string[], record: ApiKeyRecord): void {
    if (required.some((scope) => !record.scopes.includes(scope))) {
      throw new ApiException('forbidden');
    }
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
    if (tenant === undefined || tenant === '') {
      throw new ApiException(
        'bad_request',
        'param' in source ? `Missing ${source.param}` : `Missing ${source.header} header`,
      );
    }
    if (tenant !== record.organizationId) {
      throw new ApiException(
        'forbidden',
        source.message ?? 'API key does not authorize this organization',
      );
    }
  }
}
