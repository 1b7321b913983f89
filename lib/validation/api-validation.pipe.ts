import { Inject, Injectable, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { ApiException } from '../errors/api.exception.js';
import { flattenValidationErrors, type ValidationErrorLike } from './flatten-validation-errors.js';

/**
 * Nest's ValidationPipe (class-validator + class-transformer; its options pass through), whose
 * failures are `validation_error` with a dot-notation field map, in the configured status and
 * bounded to `validation.maxErrors` entries. `forRoot` registers it globally from the
 * `validation` option; extend it and override {@link ApiValidationPipe.toException} to change
 * how failures are reported.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor(@Inject(API_ERRORS_OPTIONS) apiOptions: ResolvedApiErrorsOptions) {
    const { pipeOptions, maxErrors, status } = apiOptions.validation;
    const options: ValidationPipeOptions = {
      ...pipeOptions,
      exceptionFactory: (errors) => ApiValidationPipe.toException(errors, maxErrors, status),
    };
    super(options);
  }

  /** Builds the exception for a list of class-validator errors. Override to change it. */
  static toException(
    errors: readonly ValidationErrorLike[],
    maxErrors: number,
    status: number,
  ): ApiException {
    const { fieldErrors, omitted } = flattenValidationErrors(errors, maxErrors);
    return new ApiException('validation_error', undefined, {
      fieldErrors,
      omittedFieldErrors: omitted,
      status,
    });
  }
}
