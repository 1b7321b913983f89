import {
  Inject,
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type Type,
} from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { ApiException } from '../errors/api.exception.js';
import { DtoCompiler } from './dto-compiler.js';
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
  /** The compiled transform and validation; undefined with `validation.compile: false`. */
  private readonly compiler: DtoCompiler | undefined;
  /** Why no class is compiled, when that is decided by the pipe rather than by the class. */
  private readonly compileRefusal: string | undefined;
  /** Whether a transform of Nest's pipe has loaded the packages (for every instance). */
  private static nestPackagesLoaded = false;

  constructor(@Inject(VALIDATION_OPTIONS) protected readonly config: ResolvedValidationOptions) {
    // Nest's constructor calls createExceptionFactory(), before `config` is set on this: the
    // factory reads it when a request fails, never during construction.
    super({ ...config.pipeOptions });
    this.compileRefusal = !config.compile
      ? 'validation.compile is false'
      : config.pipeOptions.validatorPackage !== undefined ||
          config.pipeOptions.transformerPackage !== undefined
        ? 'validation.validatorPackage or transformerPackage is set'
        : overridden(this, ['validate', 'loadValidator', 'loadTransformer'])
          ? `${this.constructor.name} overrides validate(), loadValidator() or loadTransformer()`
          : undefined;
    this.compiler =
      this.compileRefusal === undefined
        ? DtoCompiler.create(this.transformOptions, this.classValidatorOptions())
        : undefined;
  }

  /**
   * Whether a DTO class is validated by the compiled path, and if not why (for the start-up
   * log): undefined when it is compiled.
   */
  compiledRefusal(metatype: Type<unknown>): string | undefined {
    if (this.compiler === undefined) return this.compileRefusal ?? 'class-validator is missing';
    return this.compiler.refusal(metatype);
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
    if (reserved.length === 0) return this.validateClass(value, metadata);
    let others: ApiException | undefined;
    try {
      await this.validateClass(value, metadata);
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
   * Nest's `ValidationPipe.transform` for a class-validator DTO, step for step, with
   * class-transformer's `plainToInstance` and class-validator's `validate` replaced by the
   * compiled ones where the class compiles; Nest's own pipe otherwise.
   */
  private async validateClass(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = (this.expectedType ?? metadata.metatype) as Type<unknown> | undefined;
    const compiler = this.compiler;
    if (
      compiler === undefined ||
      metatype === undefined ||
      !this.toValidate({ ...metadata, metatype }) ||
      compiler.refusal(metatype) !== undefined
    ) {
      return super.transform(value, metadata);
    }
    if (!ApiValidationPipe.nestPackagesLoaded) {
      // Nest's pipe loads class-validator and class-transformer asynchronously, in its first
      // transform of a class, and the hooks used below when a class cannot be walked here
      // (validate, findNestedBinaryValues, hasValidationRules) read what it loaded. Until then
      // Nest's pipe answers.
      try {
        return await super.transform(value, metadata);
      } finally {
        ApiValidationPipe.nestPackagesLoaded = true;
      }
    }
    const originalValue = value;
    value = this.toEmptyIfNil(value, metatype);
    this.closeArrayGaps(value);
    const isNil = value !== originalValue;
    const isStandIn = this.isPrimitive(value) || this.isBinary(value);
    this.stripProtoKeys(value);
    const made = compiler.plainToInstance(metatype, value);
    const originalEntity = made.entity as { constructor?: unknown };
    let entity = originalEntity;
    const isCtorNotEqual = entity.constructor !== metatype;
    if (isCtorNotEqual && !isStandIn) entity.constructor = metatype;
    else if (isCtorNotEqual) entity = { constructor: metatype };
    const binaryErrors = made.binary ? this.findNestedBinaryValues(entity) : [];
    if (binaryErrors.length > 0) throw await this.exceptionFactory(binaryErrors);
    const errors =
      compiler.validate(entity) ?? (await this.validate(entity, this.classValidatorOptions()));
    if (isCtorNotEqual && !isStandIn) delete entity.constructor;
    if (errors.length > 0) {
      if (this.validatorOptions.validationError?.value === undefined) {
        this.stripParentErrorValues(errors);
      }
      throw await this.exceptionFactory(errors);
    }
    if (
      isCtorNotEqual &&
      (isStandIn || Array.isArray(value)) &&
      (await this.hasValidationRules(metatype))
    ) {
      throw await this.exceptionFactory([
        {
          property: metadata.data || metadata.type,
          constraints: { isObject: 'Validation failed (object is expected)' },
          children: [],
        } as ValidationError,
      ]);
    }
    if (originalValue === undefined && (originalEntity as unknown) === '') return originalValue;
    if (isStandIn) entity = originalEntity;
    if (this.isTransformEnabled) return entity;
    if (isNil) return originalValue;
    // Nest's test: more than its own default `forbidUnknownValues` among the options.
    return Object.keys(this.validatorOptions).length > 1 ? compiler.classToPlain(entity) : value;
  }

  /** The options Nest's pipe hands class-validator. */
  private classValidatorOptions(): ValidatorOptions {
    return {
      ...this.validatorOptions,
      validationError: { target: false, ...this.validatorOptions.validationError },
    };
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

/**
 * Whether a subclass replaced one of Nest's hooks that decide which package validates: the
 * compiled path would skip it, so such a pipe leaves every class to Nest's own steps.
 */
function overridden(pipe: ValidationPipe, hooks: readonly string[]): boolean {
  const own = pipe as unknown as Record<string, unknown>;
  const nest = ValidationPipe.prototype as unknown as Record<string, unknown>;
  return hooks.some((hook) => own[hook] !== nest[hook]);
}
