import { fieldErrorMap, summariseFieldErrors, type CanonicalError } from '../errors/api-error.js';
import {
  JSON_CONTENT_TYPE,
  type ErrorFormatContext,
  type RenderedErrorBody,
} from './error-format.js';

/**
 * `laravel` (KanalKanal): `{"error":"<message>"}` for 4xx, `{"message","errors"}` for validation,
 * `{"message":"Too Many Attempts."}` for 429 and `{"message":"Server Error"}` for 5xx.
 */
export function renderLaravel(
  error: CanonicalError,
  context: ErrorFormatContext,
): RenderedErrorBody {
  let body: Record<string, unknown>;
  if (error.status >= 500) {
    body = { message: 'Server Error' };
  } else if (error.status === 429) {
    body = { message: 'Too Many Attempts.' };
  } else if (error.fieldErrors) {
    body = {
      message: summariseFieldErrors(error.fieldErrors, error.omittedFieldErrors),
      errors: fieldErrorMap(error.fieldErrors),
    };
    if (error.omittedFieldErrors) body.omittedErrors = error.omittedFieldErrors;
  } else {
    body = { error: error.message, ...error.details, ...error.extensions };
  }
  if (context.includeRequestId) body.request_id = context.requestId;
  return { contentType: JSON_CONTENT_TYPE, body };
}
