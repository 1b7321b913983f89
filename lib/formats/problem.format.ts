import { summariseFieldErrors, type CanonicalError } from '../errors/api-error.js';
import type { ErrorFormatContext, RenderedErrorBody } from './error-format.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` values that differ from the code itself (Kordless' documented types). */
const PROBLEM_TYPES: Readonly<Record<string, string>> = {
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  conflict: 'conflict_error',
  rate_limit_exceeded: 'rate_limit_error',
  internal_error: 'server_error',
};

/** The `type` member for a code, made absolute when a base URI is configured. */
export function problemType(code: string, typeBaseUri: string | undefined): string {
  const type = PROBLEM_TYPES[code] ?? code;
  if (!typeBaseUri) return type;
  return typeBaseUri.endsWith('/') ? typeBaseUri + type : `${typeBaseUri}/${type}`;
}

/** Escapes one JSON Pointer reference token (RFC 6901 §3): `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Turns a dot path (`items.0.sku`) into a JSON Pointer fragment (`#/items/0/sku`). */
export function pointerFromPath(path: string): string {
  return '#/' + path.split('.').map(escapePointerToken).join('/');
}

/**
 * `problem` (Kordless, RFC 9457): `{"type","title","status","detail","instance"}` plus extension
 * members; validation failures add `errors: [{ pointer, detail }]` (RFC 9457 §3).
 */
export function renderProblem(
  error: CanonicalError,
  context: ErrorFormatContext,
): RenderedErrorBody {
  const body: Record<string, unknown> = {
    type: problemType(error.code, context.typeBaseUri),
    title: error.title,
    status: error.status,
    detail: error.fieldErrors
      ? summariseFieldErrors(error.fieldErrors, error.omittedFieldErrors)
      : error.message,
    instance: context.requestId,
  };
  if (error.details) Object.assign(body, error.details);
  if (error.extensions) Object.assign(body, error.extensions);
  if (error.fieldErrors) {
    body.errors = error.fieldErrors.map(({ path, message }) => ({
      pointer: pointerFromPath(path),
      detail: message,
    }));
    if (error.omittedFieldErrors) body.omittedErrors = error.omittedFieldErrors;
  }
  return { contentType: PROBLEM_CONTENT_TYPE, body };
}
