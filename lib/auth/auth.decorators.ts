import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'nest-api-errors:public';
export const REQUIRED_SCOPES = 'nest-api-errors:scopes';
export const TENANT_SOURCE = 'nest-api-errors:tenant';

/**
 * Opts a route or a whole controller out of API-key authentication.
 *
 * @example
 * @Public()
 * @Get('health')
 * health() { return { status: 'ok' }; }
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Requires every listed scope of the key; a valid key without one gets 403 forbidden.
 * Scopes on the controller and on the handler add up.
 *
 * @example
 * @RequireScopes('bookings:write')
 * @Post()
 * create() { … }
 */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPES, scopes);

/** Where a route's tenant (organization) id comes from. */
export type TenantSource =
  | { readonly param: string; readonly message?: string }
  | { readonly header: string; readonly message?: string };

/**
 * Binds a route to a tenant: the key's organization must equal the route parameter or header.
 * A mismatch is 403 forbidden with a fixed message that echoes no id; a missing header is 400.
 *
 * @example
 * @Tenant({ param: 'storeId', message: 'API key does not authorize this store' })
 * @Get('stores/:storeId/orders')
 * orders() { … }
 */
export const Tenant = (source: TenantSource): MethodDecorator & ClassDecorator =>
  SetMetadata(TENANT_SOURCE, source);
