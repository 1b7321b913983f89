/**
 * The only file that knows Express from Fastify. Everything else sees plain Node requests
 * (`IncomingMessage`) and goes through these helpers to write a reply.
 */
import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http';

/** What `ExecutionContext.switchToHttp().getRequest()` returns on either platform. */
export type PlatformRequest =
  IncomingMessage | { raw: IncomingMessage; headers: IncomingHttpHeaders };

/** The Node request under a platform request (Fastify wraps it in `raw`). */
export function rawRequest(request: unknown): IncomingMessage {
  // Express' request is the Node one. Checked first: looking for a missing `raw` on it walks
  // its whole prototype chain, several times per request.
  if (request instanceof IncomingMessage) return request;
  const wrapped = (request as { raw?: IncomingMessage }).raw;
  return wrapped !== undefined && typeof wrapped === 'object'
    ? wrapped
    : (request as IncomingMessage);
}

/**
 * Makes a request without body bytes (`Content-Length: 0`, or neither a length nor a chunked
 * transfer) one without a body, whatever its Content-Type says. On Fastify (called from its
 * `onRequest` hook, before parsing) dropping the Content-Type makes it skip the parser, which
 * would reject an empty JSON body with 400; on Express (called from middleware, after
 * body-parser made it `{}`) the body is cleared. Either way the handler and the validation pipe
 * see no body.
 */
export function treatAsBodiless(request: IncomingMessage): void {
  delete request.headers['content-type'];
  const express = request as IncomingMessage & { body?: unknown };
  if (express.body !== undefined) express.body = undefined;
}

/** The Node response under a platform response. */
export function rawResponse(response: unknown): ServerResponse {
  if (response instanceof ServerResponse) return response;
  const wrapped = (response as { raw?: ServerResponse }).raw;
  return wrapped !== undefined && typeof wrapped === 'object'
    ? wrapped
    : (response as ServerResponse);
}

/** True when the response can no longer be written (headers or the whole reply already sent). */
export function isResponseStarted(response: unknown): boolean {
  const fastifySent = (response as { sent?: boolean }).sent;
  return fastifySent === true || rawResponse(response).headersSent;
}

/** Ends a response that was started and not finished, as Nest's adapters' `end` does. */
export function endResponse(response: unknown): void {
  const res = rawResponse(response);
  if (!res.writableEnded) res.end();
}

/** Sets a header on a platform response, whatever the platform (reply or bare response). */
export function setResponseHeader(response: unknown, name: string, value: string): void {
  if (isFastifyReply(response)) response.header(name, value);
  else rawResponse(response).setHeader(name, value);
}

/** Reads a header already set on a platform response (Fastify keeps them on the reply). */
export function getResponseHeader(response: unknown, name: string): string | undefined {
  const reply = response as { getHeader?: (name: string) => unknown };
  const value =
    typeof reply.getHeader === 'function'
      ? reply.getHeader(name)
      : rawResponse(response).getHeader(name);
  return value === undefined ? undefined : String(value);
}

/**
 * Sends a complete, already serialised JSON reply with exactly the given Content-Type. Express'
 * `res.json`/`res.send` would rewrite the media type (adding a charset to `problem+json`), so
 * the body is written as-is on both platforms.
 */
export function sendSerialised(
  response: unknown,
  status: number,
  headers: Readonly<Record<string, string>>,
  payload: string | Buffer,
): void {
  if (isFastifyReply(response)) {
    response.code(status);
    for (const name of Object.keys(headers)) response.header(name, headers[name]);
    // A Buffer, because Fastify appends a charset to the Content-Type of string payloads.
    response.send(typeof payload === 'string' ? Buffer.from(payload) : payload);
    return;
  }
  // Express' response, or the bare Node response Fastify hands to middleware.
  const res = rawResponse(response);
  res.statusCode = status;
  for (const name of Object.keys(headers)) res.setHeader(name, headers[name]);
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/**
 * Sends a complete reply without a body (a 204), with the given headers and those already set.
 * Neither platform then sends Content-Length or Content-Type (RFC 9110 §8.6), so both answer
 * alike.
 */
export function sendEmpty(
  response: unknown,
  status: number,
  headers: Readonly<Record<string, string>>,
): void {
  if (isFastifyReply(response)) {
    response.code(status);
    for (const name of Object.keys(headers)) response.header(name, headers[name]);
    response.send();
    return;
  }
  const res = rawResponse(response);
  res.statusCode = status;
  for (const name of Object.keys(headers)) res.setHeader(name, headers[name]);
  res.end();
}

/**
 * Adds `token` to the response's Vary header, keeping what other parts (CORS) listed there;
 * nothing to add when it is listed already or Vary is `*`.
 */
export function addVary(response: unknown, token: string): void {
  const current = getResponseHeader(response, 'vary');
  if (current === undefined || current.trim() === '') {
    setResponseHeader(response, 'Vary', token);
    return;
  }
  const lower = token.toLowerCase();
  const listed = current.split(',').some((item) => {
    const name = item.trim().toLowerCase();
    return name === '*' || name === lower;
  });
  if (!listed) setResponseHeader(response, 'Vary', `${current}, ${token}`);
}

interface FastifyReplyLike {
  raw: ServerResponse;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  send(payload?: Buffer): unknown;
}

function isFastifyReply(response: unknown): response is FastifyReplyLike {
  if (response instanceof ServerResponse) return false;
  const reply = response as Partial<FastifyReplyLike>;
  return (
    typeof reply.code === 'function' && typeof reply.send === 'function' && reply.raw !== undefined
  );
}

/** How a failure of either platform before the handler (a URL or a body) is answered. */
export interface PlatformFailure {
  readonly code: 'bad_request' | 'payload_too_large' | 'unsupported_media_type';
  /** Fixed public message, never the parser's own text. */
  readonly message?: string;
}

export const MALFORMED_JSON_MESSAGE = 'The request body is not valid JSON';

/**
 * Recognises the errors Express (its router, body-parser: http-errors with a `type`, zlib) and
 * Fastify (its content-type parsers' `FST_ERR_CTP_*`, JSON `SyntaxError`) raise before a
 * handler runs. Nest hands them to filters as an `HttpException` whose `cause` is the original
 * error. Each gets a fixed message: their own texts echo the path or the decompressor's
 * diagnosis. (Fastify's router errors never reach a filter: see fastify-framework-errors.ts.)
 */
export function describePlatformFailure(cause: unknown): PlatformFailure | undefined {
  if (cause === null || typeof cause !== 'object') return undefined;
  const { type, code, statusCode, status, errno, name } = cause as {
    type?: unknown;
    code?: unknown;
    statusCode?: unknown;
    status?: unknown;
    errno?: unknown;
    name?: unknown;
  };
  switch (type ?? code) {
    case 'entity.parse.failed':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'bad_request', message: MALFORMED_JSON_MESSAGE };
    case 'entity.too.large':
    case 'parameters.too.many':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large' };
    case 'charset.unsupported':
    case 'encoding.unsupported':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'request.aborted':
    case 'request.size.invalid':
      return { code: 'bad_request', message: 'The request body length is invalid' };
  }
  // Express' router: a path parameter with an invalid %-escape.
  if (name === 'URIError' && (status === 400 || statusCode === 400)) {
    return { code: 'bad_request', message: 'The request URL is not valid' };
  }
  // body-parser decompressing a body that is not what its Content-Encoding says (zlib errors
  // carry an errno and a code).
  if (
    typeof errno === 'number' &&
    typeof code === 'string' &&
    (status === 400 || statusCode === 400)
  ) {
    return { code: 'bad_request', message: 'The request body could not be decoded' };
  }
  // Any other body-parser failure: its text is not for clients either.
  if (typeof type === 'string' && (status === 400 || statusCode === 400)) {
    return { code: 'bad_request', message: 'The request body could not be read' };
  }
  // Fastify's JSON parser (secure-json-parse) throws a SyntaxError carrying a 400 status.
  if (cause instanceof SyntaxError && (statusCode === 400 || status === 400)) {
    return { code: 'bad_request', message: MALFORMED_JSON_MESSAGE };
  }
  return undefined;
}

/** The matched route template (`/v1/stores/:storeId/orders`), else the path without its query. */
export function routeTemplateOf(request: unknown): string {
  const express = (request as { route?: { path?: unknown } }).route?.path;
  if (typeof express === 'string') {
    const base = (request as { baseUrl?: string }).baseUrl ?? '';
    return base + express;
  }
  const fastify = (request as { routeOptions?: { url?: unknown } }).routeOptions?.url;
  if (typeof fastify === 'string') return fastify;
  const url = rawRequest(request).url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Route parameters of a platform request (both platforms keep them on `params`). */
export function routeParamsOf(request: unknown): Readonly<Record<string, string | undefined>> {
  return (request as { params?: Record<string, string | undefined> }).params ?? {};
}

/** Where a validated route argument comes from: `@Body()`, `@Query()` or `@Param()`. */
export type RouteArgumentSource = 'body' | 'query' | 'param';

/**
 * The value Nest hands a `@Body()`, `@Query()` or `@Param()` argument, or with `data` one
 * property of it, read as Nest's route-params factory reads it: both platforms keep the parsed
 * body, query and path parameters on the request.
 */
export function routeArgumentOf(
  request: unknown,
  source: RouteArgumentSource,
  data: string | undefined,
): unknown {
  const { body, query, params } = request as {
    body?: unknown;
    query?: Record<string, unknown>;
    params?: Record<string, unknown>;
  };
  switch (source) {
    case 'body': {
      if (!data || !body) return body;
      // As Nest does: a property of an object body, never of an array's or a buffer's prototype.
      const readable =
        (typeof body === 'object' && !Array.isArray(body) && !ArrayBuffer.isView(body)) ||
        Object.hasOwn(Object(body), data);
      return readable ? (body as Record<string, unknown>)[data] : undefined;
    }
    case 'query':
      return data ? query?.[data] : query;
    case 'param':
      return data ? params?.[data] : params;
  }
}

/** A handler of raw requests in the style of Connect middleware. */
export type RawRequestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse },
      done: (error?: unknown) => void,
    ) => void,
  ): unknown;
}

/**
 * On Fastify, runs `handler` as an `onRequest` hook, ahead of everything and without the
 * middleware engine (@fastify/middie) in between; returns false on other platforms, where the
 * caller applies it as Nest middleware instead.
 */
export function addFastifyRequestHook(
  adapter: { getType(): string; getInstance(): unknown },
  handler: RawRequestHandler,
): boolean {
  if (adapter.getType() !== 'fastify') return false;
  (adapter.getInstance() as FastifyLike).addHook('onRequest', (request, reply, done) =>
    handler(request.raw, reply.raw, done),
  );
  return true;
}
