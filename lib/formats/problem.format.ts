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

/** The problem type's name for a code: Kordless' documented names, else the code itself. */
export function problemTypeName(code: string): string {
  return PROBLEM_TYPES[code] ?? code;
}

/**
 * The `type` member for a code: the base URI + the type's name, or `about:blank` without a
 * base. A bare name would be a relative reference, resolving to another URI under every route
 * (RFC 9457 §3.1.1); the library knows no absolute URI of the app's own to put first.
 */
export function problemType(code: string, typeBaseUri: string | undefined): string {
  if (typeBaseUri === undefined) return ABOUT_BLANK;
  const name = problemTypeName(code);
  return typeBaseUri.endsWith('/') ? typeBaseUri + name : `${typeBaseUri}/${name}`;
}

/** The type of a problem with no type URI of its own (RFC 9457 §4.2.1). */
export const ABOUT_BLANK = 'about:blank';

/**
 * The status phrases of RFC 9110 §15, the `title` of an `about:blank` problem (RFC 9457 §4.2.1:
 * "SHOULD be the same as the recommended HTTP status phrase for that code").
 */
const STATUS_PHRASES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  511: 'Network Authentication Required',
});

/** Escapes one JSON Pointer reference token (RFC 6901 §3): `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Turns a dot path (`items.0.sku`) into a JSON Pointer fragment (`#/items/0/sku`); an error of
 * the whole body (no path) points at `#`.
 */
export function pointerFromPath(path: string): string {
  // The empty path is the whole body: `#` (RFC 6901 §5); `#/` would be a member named "".
  if (path === '') return '#';
  return '#/' + path.split('.').map(escapePointerToken).join('/');
}

/**
 * `problem` (Kordless, RFC 9457): `{"type","title","status","detail","instance"}` plus extension
 * members; validation failures add `errors: [{ pointer, detail }]` (RFC 9457 §3).
 *
 * With `typeBaseUri`, `type` is that URI + the type's name (`…/not_found`) and `title` is fixed
 * per code. Without it, `type` is `about:blank`, `title` the status phrase, and the type's name
 * travels in the `code` member instead.
 */
export function renderProblem(
  error: CanonicalError,
  context: ErrorFormatContext,
): RenderedErrorBody {
  const blank = context.typeBaseUri === undefined;
  const body: Record<string, unknown> = {
    type: problemType(error.code, context.typeBaseUri),
    title: blank ? (STATUS_PHRASES[error.status] ?? error.title) : error.title,
    status: error.status,
    detail: error.fieldErrors
      ? summariseFieldErrors(error.fieldErrors, error.omittedFieldErrors)
      : error.message,
    instance: context.requestId,
  };
  if (blank) body.code = problemTypeName(error.code);
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
