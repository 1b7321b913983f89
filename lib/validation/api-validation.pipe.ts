import {
  Inject,
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { ApiException } from '../errors/api.exception.js';
import { flattenValidationErrors, type ValidationErrorLike } from './flatten-validation-errors.js';
import { reservedKeyErrors } from './reserved-keys.js';

/**
 * Nest's ValidationPipe (class-validator + class-transformer; its options pass through), whose
 * failures are `validation_error` with a dot-notation field map, in the configured status and
 * bounded to `validation.maxErrors` entries. `forRoot` registers it globally from the
 * `validation` option; extend it and override {@link ApiValidationPipe.toException} to change
 * how failures are reported.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  private readonly forbidUnknown: boolean;
  private readonly maxErrors: number;
  private readonly status: number;

  constructor(@Inject(API_ERRORS_OPTIONS) apiOptions: ResolvedApiErrorsOptions) {
    const { pipeOptions, maxErrors, status } = apiOptions.validation;
    const options: ValidationPipeOptions = {
      ...pipeOptions,
      exceptionFactory: (errors) => ApiValidationPipe.toException(errors, maxErrors, status),
    };
    super(options);
    this.forbidUnknown = pipeOptions.forbidNonWhitelisted === true;
    this.maxErrors = maxErrors;
    this.status = status;
  }

  /**
   * Validates as Nest's pipe does; with `forbidNonWhitelisted`, also rejects `__proto__` and
   * `constructor` keys at their paths, which class-transformer drops before whitelisting could
   * see them (issue #13, item 7), together with whatever else fails.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const reserved =
      this.forbidUnknown && this.toValidate(metadata)
        ? reservedKeyErrors(value, this.maxErrors)
        : [];
    if (reserved.length === 0) return super.transform(value, metadata);
    let others: ApiException | undefined;
    try {
      await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ApiException) || error.code !== 'validation_error') throw error;
      others = error;
    }
    const all = [...reserved, ...(others?.extras.fieldErrors ?? [])];
    throw new ApiException('validation_error', undefined, {
      fieldErrors: all.slice(0, this.maxErrors),
      omittedFieldErrors:
        Math.max(0, all.length - this.maxErrors) + (others?.extras.omittedFieldErrors ?? 0),
      status: this.status,
    });
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
