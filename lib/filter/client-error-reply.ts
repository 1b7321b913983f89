import { HttpException } from '@nestjs/common';
import { ApiException } from '../errors/api.exception.js';
import type { SocketReply } from '../platform/client-error-listener.js';
import { acceptRequestId, generateRequestId } from '../request-context/request-id.js';
import type { IncomingMessage } from 'node:http';
import type { ResolvedErrorResponseOptions } from './error-response.options.js';
import { normaliseException } from './normalise-exception.js';
import { renderError } from './render-error.js';

/** The error each of Node's client errors stands for; fixed messages, never the parser's. */
export function clientError(code: string | undefined): unknown {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiException('request_timeout');
    case 'HPE_HEADER_OVERFLOW':
      return new HttpException('The request headers are too large', 431);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiException('payload_too_large');
    default:
      return new ApiException('bad_request', 'The request is not valid HTTP');
  }
}

/**
 * The reply to a client error Node raised before the request reached the app, in the
 * configured format, with a request id of its own (there is no request to take one from).
 * Undefined when even rendering fails (a custom format that throws): the socket then only
 * closes.
 */
export function clientErrorReply(
  code: string | undefined,
  options: ResolvedErrorResponseOptions,
  requestIdHeader: string,
): SocketReply | undefined {
  try {
    return renderError(
      normaliseException(clientError(code), options),
      generateRequestId(),
      options,
      requestIdHeader,
    );
  } catch {
    return undefined;
  }
}

/**
 * The reply to a request Fastify's router rejected before any hook ran: 400 for a malformed
 * %-escape in the path, 414 for a path parameter over its maxParamLength. Never echoes the path.
 */
export function frameworkErrorReply(
  status: number,
  request: IncomingMessage,
  options: ResolvedErrorResponseOptions,
  requestIdHeader: string,
): SocketReply | undefined {
  const exception =
    status === 414
      ? new HttpException('A segment of the request URL is too long', 414)
      : new ApiException('bad_request', 'The request URL is not valid');
  const requestId = acceptRequestId(request.headers[requestIdHeader.toLowerCase()]);
  try {
    return renderError(normaliseException(exception, options), requestId, options, requestIdHeader);
  } catch {
    return undefined;
  }
}
