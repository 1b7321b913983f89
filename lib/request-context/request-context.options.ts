import { Logger } from '@nestjs/common';
import { ApiErrorsConfigError, booleanOption, headerNameOption } from '../shared/option-checks.js';
import { IpAllowlist, invalidAllowlistEntry } from './ip-allowlist.js';

/** Execution context types other than HTTP that the guards know of. */
export const NON_HTTP_CONTEXTS = ['rpc', 'ws', 'graphql'] as const;
export type NonHttpContextType = (typeof NON_HTTP_CONTEXTS)[number];

/**
 * What the guards do with a handler called over another transport: `'deny'` applies the same
 * checks fail-closed (a handler that is not `@Public()` is refused, since no key can be read
 * there yet); `'skip'` waves every call of that transport through, unauthenticated and
 * unlimited — only for transports that are already protected some other way.
 */
export type ContextPolicy = 'deny' | 'skip';

/** The request-wide options of {@link ApiErrorsModule.forRoot}: every part reads them. */
export interface RequestContextModuleOptions {
  /**
   * The header that carries the request id, read from requests and written on every response.
   * @default 'X-Request-Id'
   */
  requestIdHeader?: string;
  /**
   * Opens an async context per request (AsyncLocalStorage), so that `getRequestId()` works
   * anywhere inside it. On Node 20 AsyncLocalStorage hooks every promise, which costs
   * throughput; turn it off when nothing calls `getRequestId()` (the `@RequestId()` decorator
   * and the filter do not need it).
   * @default true
   */
  asyncContext?: boolean;
  /**
   * Media types a request body may have; others get 415 unsupported_media_type, and so do a
   * charset other than UTF-8 and a Content-Encoding other than identity. Each type listed must also be parsed by the platform (Express'
   * body-parser, Fastify's content-type parsers). `false` turns the check off (for apps that
   * accept forms or uploads).
   * @default ['application/json']
   */
  bodyContentTypes?: readonly string[] | false;
  /**
   * Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed, for every decision
   * that needs the client's IP (key allowlists, the failed-authentication limiter, per-IP rate
   * limits, idempotency records of public routes). Empty: the socket address is the client's,
   * whatever the headers say.
   * @default []
   */
  trustedProxies?: readonly string[];
  /**
   * How the guards treat handlers called over another transport (a hybrid app's microservice,
   * a WebSocket gateway, a GraphQL resolver): each type is `'deny'` (fail closed) unless set to
   * `'skip'`.
   * @default { rpc: 'deny', ws: 'deny', graphql: 'deny' }
   */
  contexts?: Partial<Readonly<Record<NonHttpContextType, ContextPolicy>>>;
  /**
   * The clock every time-based decision reads (expiry, trials, windows), in epoch ms.
   * Injectable for tests.
   * @default Date.now
   */
  clock?: () => number;
}

/** The request-wide options after defaults were merged; frozen. */
export interface ResolvedRequestContextOptions {
  readonly requestIdHeader: string;
  readonly asyncContext: boolean;
  readonly bodyContentTypes: readonly string[] | false;
  readonly trustedProxies: IpAllowlist;
  readonly contexts: Readonly<Record<NonHttpContextType, ContextPolicy>>;
  readonly clock: () => number;
}

/** Injection token of {@link ResolvedRequestContextOptions}. */
export const REQUEST_CONTEXT_OPTIONS = Symbol('nest-api-errors:request-context-options');

export const REQUEST_CONTEXT_DEFAULTS = Object.freeze({
  requestIdHeader: 'X-Request-Id',
  asyncContext: true,
  bodyContentTypes: Object.freeze(['application/json']),
  trustedProxies: Object.freeze([]) as readonly string[],
  contextPolicy: 'deny' as ContextPolicy,
  clock: Date.now,
});

/**
 * Checks and freezes the request-wide options. `deprecatedTrustedProxies` is the old
 * `apiKeys.trustedProxies`, still accepted (with a warning) when the top-level one is absent.
 */
export function resolveRequestContextOptions(
  options: RequestContextModuleOptions,
  deprecatedTrustedProxies?: readonly string[],
): ResolvedRequestContextOptions {
  const d = REQUEST_CONTEXT_DEFAULTS;
  const bodyContentTypes = options.bodyContentTypes ?? d.bodyContentTypes;
  if (
    bodyContentTypes !== false &&
    (!Array.isArray(bodyContentTypes) ||
      bodyContentTypes.some((t) => typeof t !== 'string' || !t.includes('/')))
  ) {
    throw new ApiErrorsConfigError(
      'bodyContentTypes',
      'must be a list of media types or false',
      'Use e.g. ["application/json"].',
    );
  }
  let proxiesOption = 'trustedProxies';
  let proxies = options.trustedProxies;
  if (deprecatedTrustedProxies !== undefined) {
    const ignored = proxies !== undefined;
    new Logger('ApiErrors').warn(
      'option "apiKeys.trustedProxies" is deprecated' +
        (ignored
          ? ' and ignored beside the top-level "trustedProxies"'
          : ': move it to the top-level "trustedProxies", which rate limits and idempotency read too'),
    );
    if (!ignored) {
      proxiesOption = 'apiKeys.trustedProxies';
      proxies = deprecatedTrustedProxies;
    }
  }
  proxies ??= d.trustedProxies;
  if (!Array.isArray(proxies)) {
    throw new ApiErrorsConfigError(proxiesOption, 'is not a list', 'Use e.g. ["10.0.0.0/8"].');
  }
  for (const entry of proxies) {
    const reason = typeof entry === 'string' ? invalidAllowlistEntry(entry) : 'is not a string';
    if (reason) {
      throw new ApiErrorsConfigError(proxiesOption, reason, 'Use IP addresses or CIDR ranges.');
    }
  }
  const contexts = {} as Record<NonHttpContextType, ContextPolicy>;
  for (const type of NON_HTTP_CONTEXTS) {
    const policy = options.contexts?.[type] ?? d.contextPolicy;
    if (policy !== 'deny' && policy !== 'skip') {
      throw new ApiErrorsConfigError(
        `contexts.${type}`,
        `is ${JSON.stringify(policy)}`,
        'Use "deny" (the default) or "skip".',
      );
    }
    contexts[type] = policy;
  }
  for (const type of Object.keys(options.contexts ?? {})) {
    if (!(NON_HTTP_CONTEXTS as readonly string[]).includes(type)) {
      throw new ApiErrorsConfigError(
        `contexts.${type}`,
        'is not a context type',
        `Use one of ${NON_HTTP_CONTEXTS.join(', ')}.`,
      );
    }
  }
  const clock = options.clock ?? d.clock;
  if (typeof clock !== 'function') {
    throw new ApiErrorsConfigError('clock', 'is not a function', 'Pass () => epoch ms.');
  }
  return Object.freeze({
    requestIdHeader: headerNameOption(
      'requestIdHeader',
      options.requestIdHeader,
      d.requestIdHeader,
    ),
    asyncContext: booleanOption('asyncContext', options.asyncContext, d.asyncContext),
    bodyContentTypes:
      bodyContentTypes === false
        ? false
        : Object.freeze(bodyContentTypes.map((t) => t.toLowerCase())),
    trustedProxies: new IpAllowlist(proxies),
    contexts: Object.freeze(contexts),
    clock,
  });
}
