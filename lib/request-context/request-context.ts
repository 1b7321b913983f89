import { AsyncLocalStorage } from 'node:async_hooks';

/** Who a request authenticated as; what handlers and later guards see. */
export interface ApiPrincipal {
  readonly keyId: string;
  readonly organizationId: string;
  readonly tier: string;
  readonly scopes: readonly string[];
  readonly trials: Readonly<Record<string, Date>>;
  readonly addons: readonly string[];
}

/** What the library knows about the request being served. */
export interface RequestContext {
  readonly requestId: string;
  /**
   * The code of the error the request was answered with, once the library's filter has
   * rendered one (idempotency reads it to release a key after a validation failure).
   */
  errorCode: string | undefined;
  /** Who the request authenticated as, once the API-key guard has admitted it. */
  principal: ApiPrincipal | undefined;
}

/** Where the context of a request is kept on the request object itself. */
export const REQUEST_CONTEXT = Symbol.for('nest-api-errors.request-context');

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context, or undefined outside a request. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * The id of the request being served, from anywhere inside it (services, repositories,
 * loggers), or undefined outside a request.
 *
 * @example
 * this.logger.log(`charging card (request ${getRequestId()})`);
 */
export function getRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
