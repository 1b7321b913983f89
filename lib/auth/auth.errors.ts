import { ApiException } from '../errors/api.exception.js';
import type { TenantSource } from './auth.decorators.js';

/**
 * The answers of the API-key guard, built in one place: the guard throws them, and the OpenAPI
 * document and the Errors page render them, so that what is documented is what is sent.
 */

/** The `WWW-Authenticate` challenge of a 401 (RFC 9110 §11.6.1), naming the key header. */
export function unauthorizedHeaders(keyHeader: string): Record<string, string> {
  return { 'WWW-Authenticate': `ApiKey header="${keyHeader}"` };
}

/** The one 401 every authentication failure gets, whatever the reason. */
export function unauthorizedError(headers: Record<string, string>): ApiException {
  return new ApiException('unauthorized', undefined, { headers });
}

/** The 429 of a client IP past its failed authentications, for `seconds` more. */
export function failedAuthenticationsError(seconds: number): ApiException {
  return new ApiException(
    'rate_limit_exceeded',
    `Rate limit exceeded. Try again in ${seconds} seconds.`,
    { headers: { 'Retry-After': String(seconds) } },
  );
}

/** The 403 of a key without a scope `@RequireScopes` names. */
export function missingScopeError(): ApiException {
  return new ApiException('forbidden');
}

/** The 400 of a `@Tenant` route whose parameter or header is missing or empty. */
export function missingTenantError(source: TenantSource): ApiException {
  return new ApiException(
    'bad_request',
    'param' in source ? `Missing ${source.param}` : `Missing ${source.header} header`,
  );
}

/** The 403 of a `@Tenant` route asked for another organization; it echoes no id. */
export function otherTenantError(source: TenantSource): ApiException {
  return new ApiException(
    'forbidden',
    source.message ?? 'API key does not authorize this organization',
  );
}
