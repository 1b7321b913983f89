import type { Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  PUBLIC_ROUTE,
  REQUIRED_SCOPES,
  TENANT_SOURCE,
  type TenantSource,
} from './auth.decorators.js';

/** A route's authentication requirements, as its decorators state them. */
export interface RouteAuth {
  /** `@Public()` on the handler or its controller: no key is asked for. */
  readonly isPublic: boolean;
  /** Every scope `@RequireScopes` names on the controller and the handler. */
  readonly scopes: readonly string[];
  /** Where `@Tenant` reads the organization from, the handler's winning over its controller's. */
  readonly tenant: TenantSource | undefined;
}

/**
 * Reads `@Public()`, `@RequireScopes` and `@Tenant` of one handler: what the API-key guard
 * enforces and what the OpenAPI document describes, from the same metadata.
 */
export function routeAuthOf(reflector: Reflector, handler: object, controller: object): RouteAuth {
  // Reflector reads metadata off any function; it is typed for classes and handlers alike.
  const targets = [handler, controller] as Type<unknown>[];
  return {
    isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
    scopes: reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, [...targets].reverse()),
    tenant: reflector.getAllAndOverride<TenantSource | undefined>(TENANT_SOURCE, targets),
  };
}
