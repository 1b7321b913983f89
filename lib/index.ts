// The public API of nest-api-errors. Nothing else under lib/ is part of it.
export { ApiErrorsModule } from './api-errors.module.js';
export type {
  ApiErrorsAsyncOptions,
  ApiErrorsForRootOptions,
  ApiErrorsOptionsFactory,
} from './api-errors.module-definition.js';
export {
  ApiErrorsConfigError,
  resolveApiErrorsOptions,
  type ApiErrorsModuleOptions,
  type ErrorCodeInput,
  type ResolvedApiErrorsOptions,
} from './api-errors.options.js';
export { API_ERRORS_OPTIONS } from './api-errors.constants.js';

export {
  BUILT_IN_ERROR_CODES,
  ERROR_CATALOGUE,
  type ApiErrorCodeRegistry,
  type BuiltInErrorCode,
  type ErrorCode,
  type ErrorCodeDefinition,
} from './errors/error-catalogue.js';
export type { CanonicalError, FieldError } from './errors/api-error.js';
export {
  ApiException,
  ApiValidationException,
  BadRequestApiException,
  ConflictApiException,
  ForbiddenApiException,
  NotFoundApiException,
  ServiceUnavailableApiException,
  type ApiExceptionExtras,
} from './errors/api.exception.js';

export { ERROR_FORMATS, type ErrorFormatName } from './formats/index.js';
export type {
  CustomErrorFormat,
  CustomFormatResult,
  ErrorFormatContext,
} from './formats/error-format.js';

export { ApiErrorsFilter } from './filter/api-errors.filter.js';
export { getRequestId } from './request-id/request-context.js';
export { RequestId } from './request-id/request-id.decorator.js';
