import type { IncomingMessage } from 'node:http';
import { rawRequest, rawResponse } from '../platform/platform.js';
import { acceptRequestId } from './request-id.js';
import { REQUEST_CONTEXT, type RequestContext } from './request-context.js';

type WithContext = IncomingMessage & { [REQUEST_CONTEXT]?: RequestContext };

/**
 * Returns the request's context, creating it (and sending the id header) on first use. The
 * middleware normally does this first; the filter calls it too, for failures that happen before
 * middleware runs (a malformed body on Express).
 */
export function attachRequestContext(
  request: unknown,
  response: unknown,
  header: string,
): RequestContext {
  const raw = rawRequest(request) as WithContext;
  const existing = raw[REQUEST_CONTEXT];
  if (existing) return existing;
  // Every field from the start: one object shape for all requests keeps property access fast.
  const context: RequestContext = {
    requestId: acceptRequestId(raw.headers[header.toLowerCase()]),
    errorCode: undefined,
    principal: undefined,
  };
  raw[REQUEST_CONTEXT] = context;
  const res = rawResponse(response);
  if (!res.headersSent) res.setHeader(header, context.requestId);
  return context;
}

/** The context attached to a request, if any. */
export function requestContextOf(request: unknown): RequestContext | undefined {
  return (rawRequest(request) as WithContext)[REQUEST_CONTEXT];
}
