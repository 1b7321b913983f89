import { Inject, Injectable, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ApiException } from '../errors/api.exception.js';
import { flattenValidationErrors, type ValidationErrorLike } from './flatten-validation-errors.js';
import { reservedKeyErrors } from './reserved-keys.js';
import {
  validateWithSchema,
  validatesParameter,
  type StandardSchemaLike,
} from './schema-validation.js';
import { VALIDATION_OPTIONS, type ResolvedValidationOptions } from './validation.options.js';

/**
 * Nest's ValidationPipe (class-validator + class-transformer; its options pass through) and a
 * Standard Schema validator (zod, valibot, arktype: `@Body({ schema })`), whose failures are
 * `validation_error` with a dot-notation field map, in the configured status and bounded to
 * `validation.maxErrors` entries. `forRoot` registers it globally from the `validation` option.
 *
 * To change how failures are reported, extend it, override
 * {@link ApiValidationPipe.createExceptionFactory} as with Nest's own pipe, and install the
 * subclass with `validation: { pipe: MyPipe }`.
 *
 * @example
 * @Injectable()
 * export class FirstErrorOnlyPipe extends ApiValidationPipe {
 *   override createExceptionFactory() {
 *     return (errors: ValidationError[] = []) => super.createExceptionFactory()(errors.slice(0, 1));
 *   }
 * }
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor(@Inject(VALIDATION_OPTIONS) protected readonly config: ResolvedValidationOptions) {
    // Nest's constructor calls createExceptionFactory(), before `config` is set on this: the
    // factory reads it when a request fails, never during construction.
    super({ ...config.pipeOptions });
  }

  /**
   * A parameter with a Standard Schema (`@Body({ schema })`) is validated by the schema, with
   * the same field map; any other as Nest's pipe does, with `forbidNonWhitelisted` also
   * rejecting `__proto__` and `constructor` keys at their paths, which class-transformer drops
   * before whitelisting could see them, together with whatever else fails.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = metadata.schema as StandardSchemaLike | undefined;
    if (schema !== undefined) {
      return validatesParameter(metadata, this.config)
        ? validateWithSchema(schema, value, this.config)
        : value;
    }
    const { maxErrors, status } = this.config;
    const reserved =
      this.config.pipeOptions.forbidNonWhitelisted === true && this.toValidate(metadata)
        ? reservedKeyErrors(value, maxErrors)
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
      fieldErrors: all.slice(0, maxErrors),
      omittedFieldErrors:
        Math.max(0, all.length - maxErrors) + (others?.extras.omittedFieldErrors ?? 0),
      status,
    });
  }

  /**
   * Builds the exception for a list of class-validator errors: `validation_error` with every
   * failing constraint at its dot path, at most `validation.maxErrors` of them.
   */
  override createExceptionFactory(): (errors?: ValidationErrorLike[]) => unknown {
    return (errors: readonly ValidationErrorLike[] = []) => {
      const { fieldErrors, omitted } = flattenValidationErrors(errors, this.config.maxErrors);
      return new ApiException('validation_error', undefined, {
        fieldErrors,
        omittedFieldErrors: omitted,
        status: this.config.status,
      });
    };
  }
}
