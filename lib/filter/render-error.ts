import type { CanonicalError } from '../errors/api-error.js';
import { isErrorStatus } from '../errors/error-catalogue.js';
import { JSON_CONTENT_TYPE, type ErrorFormatContext } from '../formats/error-format.js';
import { FORMAT_RENDERERS } from '../formats/index.js';
import type { ResolvedErrorResponseOptions } from './error-response.options.js';

/** A header value Node accepts: no control characters (CR, LF, NUL). */
const SAFE_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** An error as it goes on the wire: status, headers (request id included) and JSON payload. */
export interface RenderedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly payload: string;
}

/**
 * Renders the canonical error in the configured format, with `Cache-Control: no-store`, the
 * headers the error carries and the request id. Throws when a custom format fails or its body
 * cannot be serialised; the caller falls back to another error.
 */
export function renderError(
  error: CanonicalError,
  requestId: string,
  options: ResolvedErrorResponseOptions,
  requestIdHeader: string,
): RenderedError {
  const context: ErrorFormatContext = {
    requestId,
    includeRequestId: options.includeRequestId,
    typeBaseUri: options.typeBaseUri,
  };
  let status = error.status;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  copySafeHeaders(error.headers, headers);
  let payload: string;
  const format = options.format;
  if (typeof format === 'function') {
    const custom = format(error, context);
    if (isErrorStatus(custom.status)) status = custom.status;
    headers['Content-Type'] = JSON_CONTENT_TYPE;
    copySafeHeaders(custom.headers, headers);
    payload = JSON.stringify(custom.body);
  } else {
    const rendered = FORMAT_RENDERERS[format](error, context);
    headers['Content-Type'] = rendered.contentType;
    payload = JSON.stringify(rendered.body);
  }
  headers[requestIdHeader] = requestId;
  return { status, headers, payload };
}

/** Copies the headers Node can send; `Retry-After` as whole seconds, at least 1. */
function copySafeHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  into: Record<string, string>,
): void {
  if (!headers) return;
  for (const name of Object.keys(headers)) {
    const text = String(headers[name]);
    if (!SAFE_HEADER_VALUE.test(text)) continue;
    if (name.length === 11 && name.toLowerCase() === 'retry-after') {
      const seconds = Number(text);
      if (Number.isFinite(seconds)) into[name] = String(Math.max(1, Math.ceil(seconds)));
      else if (!Number.isNaN(Date.parse(text))) into[name] = text;
      continue;
    }
    into[name] = text;
  }
}
