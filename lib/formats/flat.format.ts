import { fieldErrorMap, type CanonicalError } from '../errors/api-error.js';
import {
  JSON_CONTENT_TYPE,
  type ErrorFormatContext,
  type RenderedErrorBody,
} from './error-format.js';

/**
 * `flat` (KynectLocal): `{"error":"<code>","status":<status>}` with extension members at the top
 * level, e.g. `feature`, `isTrial`, `upgradeRequired`, `requiredTier`.
 */
export function renderFlat(error: CanonicalError, context: ErrorFormatContext): RenderedErrorBody {
  const body: Record<string, unknown> = { error: error.code, status: error.status };
  if (error.extensions) Object.assign(body, error.extensions);
  if (error.fieldErrors) {
    body.errors = fieldErrorMap(error.fieldErrors);
    if (error.omittedFieldErrors) body.omittedErrors = error.omittedFieldErrors;
  }
  if (context.includeRequestId) body.request_id = context.requestId;
  return { contentType: JSON_CONTENT_TYPE, body };
}
