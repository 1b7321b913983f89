import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { rawRequest } from '../platform/platform.js';
import { requestContextOf } from '../request-id/request-context.store.js';
import type { ApiPrincipal } from './api-key.types.js';

const PRINCIPAL = Symbol.for('nest-api-errors.principal');

type WithPrincipal = { [PRINCIPAL]?: ApiPrincipal };

/**
 * Attaches the authenticated principal to a request (the guard does this): to the request's
 * context, which every request served through the module has, else to the request itself.
 */
export function setPrincipal(request: unknown, principal: ApiPrincipal): void {
  const context = requestContextOf(request);
  if (context) context.principal = principal;
  else (rawRequest(request) as WithPrincipal)[PRINCIPAL] = principal;
}

/** The principal a request authenticated as, or undefined (public route, no auth). */
export function getPrincipal(request: unknown): ApiPrincipal | undefined {
  const context = requestContextOf(request);
  return context ? context.principal : (rawRequest(request) as WithPrincipal)[PRINCIPAL];
}

/**
 * Injects the authenticated principal (key id, organization, tier, scopes).
 *
 * @example
 * @Get('me')
 * me(@Principal() principal: ApiPrincipal) { return principal; }
 */
export const Principal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ApiPrincipal | undefined =>
    getPrincipal(context.switchToHttp().getRequest()),
);
