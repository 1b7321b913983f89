import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { rawRequest } from '../platform/platform.js';
import type { ApiPrincipal } from './api-key.types.js';

const PRINCIPAL = Symbol.for('nest-api-errors.principal');

type WithPrincipal = { [PRINCIPAL]?: ApiPrincipal };

/** Attaches the authenticated principal to a request (the guard does this). */
export function setPrincipal(request: unknown, principal: ApiPrincipal): void {
  (rawRequest(request) as WithPrincipal)[PRINCIPAL] = principal;
}

/** The principal a request authenticated as, or undefined (public route, no auth). */
export function getPrincipal(request: unknown): ApiPrincipal | undefined {
  return (rawRequest(request) as WithPrincipal)[PRINCIPAL];
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
