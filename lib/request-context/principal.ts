import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiPrincipal } from './request-context.js';
import { requestContextOf } from './request-context.store.js';

/**
 * The principal a request authenticated as, or undefined (public route, no auth). The API-key
 * guard keeps it in the request's context.
 */
export function getPrincipal(request: unknown): ApiPrincipal | undefined {
  return requestContextOf(request)?.principal;
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
