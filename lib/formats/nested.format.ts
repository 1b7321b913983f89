import { fieldErrorMap, summariseFieldErrors, type CanonicalError } from '../errors/api-error.js';
import {
  JSON_CONTENT_TYPE,
  type ErrorFormatContext,
  type RenderedErrorBody,
} from './error-format.js';

/** Codes whose nested name is not simply their UPPER_SNAKE form (KonPro's documented codes). */
const NESTED_CODES: Readonly<Record<string, string>> = {
  bad_request: 'INVALID_REQUEST',
  unauthorized: 'INVALID_API_KEY',
  forbidden: 'INSUFFICIENT_PERMISSIONS',
  not_found: 'RESOURCE_NOT_FOUND',
  internal_error: 'PROCESSING_ERROR',
};

export function nestedCode(code: string): string {
  return NESTED_CODES[code] ?? code.toUpperCase();
}

/**
 * `nested` (KonPro): `{"error":{"code","message","details"?},"request_id"}`. Extension members and
 * the first failing field go into `error.details`; the whole field map into `error.errors`.
 */
export function renderNested(
  error: CanonicalError,
  context: ErrorFormatContext,
): RenderedErrorBody {
  const inner: Record<string, unknown> = {
    code: nestedCode(error.code),
    message: error.fieldErrors
      ? summariseFieldErrors(error.fieldErrors, error.omittedFieldErrors)
      : error.message,
  };
  let details: Record<string, unknown> | undefined;
  if (error.fieldErrors?.length) {
    details = { field: error.fieldErrors[0].path, reason: error.fieldErrors[0].message };
  }
  if (error.details || error.extensions) {
    details = { ...details, ...error.details, ...error.extensions };
  }
  if (details) inner.details = details;
  if (error.fieldErrors) {
    inner.errors = fieldErrorMap(error.fieldErrors);
    if (error.omittedFieldErrors) inner.omittedErrors = error.omittedFieldErrors;
  }
  return { contentType: JSON_CONTENT_TYPE, body: { error: inner, request_id: context.requestId } };
}
