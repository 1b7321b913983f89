import type { Type, ValidationPipeOptions } from '@nestjs/common';
import { ApiErrorsConfigError, booleanOption, integerOption } from '../shared/option-checks.js';
import type { ApiValidationPipe } from './api-validation.pipe.js';

/** Options of the global validation pipe (`validation`): Nest's `ValidationPipe` ones and more. */
export interface ApiValidationOptions extends Omit<ValidationPipeOptions, 'exceptionFactory'> {
  /**
   * Status of validation failures, any 4xx (e.g. 400, or 403 as some providers use).
   * @default 422
   */
  status?: number;
  /**
   * Field errors sent at most; the number left out is stated in the body. At least 1.
   * @default 100
   */
  maxErrors?: number;
  /**
   * Your subclass of `ApiValidationPipe`, installed as the global pipe in its place (override
   * `createExceptionFactory()` to change how failures are reported).
   * @default ApiValidationPipe
   */
  pipe?: Type<ApiValidationPipe>;
  /**
   * Compiles each class-validator DTO once: its class-transformer and class-validator metadata
   * are read at start-up into a plan, and each request runs the plan instead of the two
   * packages' generic walks, with the same errors, messages and transformed value. Classes the
   * plan cannot reproduce exactly (`@ValidatorConstraint` classes, async constraints,
   * `@ValidateIf`, groups, `always`, `@Transform`, `@Expose`, `@Exclude`) use the packages as
   * before; the start-up log names them, once. `false` uses the packages for every class.
   * @default true
   */
  compile?: boolean;
}

/** The validation options of {@link ApiErrorsModule.forRoot}. */
export interface ValidationModuleOptions {
  /**
   * The global validation pipe: Nest's `ValidationPipe` options (whitelist,
   * forbidNonWhitelisted, transform, …) plus `status` (any 4xx; default 422), `maxErrors`
   * (field errors sent at most; default 100) and `pipe` (your subclass). `false` registers no
   * pipe. Needs class-validator and class-transformer; without them no pipe is registered.
   * @default {}
   */
  validation?: ApiValidationOptions | false;
  /**
   * Bodies nesting objects or arrays deeper than this get 400 bad_request; at least 1.
   * @default 128
   */
  maxBodyDepth?: number;
  /**
   * With `format: 'laravel'`, answers Laravel Precognition requests (`Precognition: true`, as
   * the `laravel-precognition` clients send them): after the guards, the route's arguments are
   * validated and the handler never runs; 204 with `Precognition-Success: true` when they are
   * valid, else the validation failure. `Precognition-Validate-Only` limits the fields reported.
   * Other formats ignore the header. A top-level option, not part of `validation`, so that it
   * still applies with `validation: false` (every precognitive request then succeeds, as on a
   * Laravel route without a form request).
   * @default true
   */
  precognition?: boolean;
}

/** Validation after defaults were merged; frozen. */
export interface ResolvedValidationOptions {
  /** False with `validation: false`: no pipe is registered. */
  readonly enabled: boolean;
  readonly status: number;
  readonly maxErrors: number;
  readonly pipeOptions: Readonly<Omit<ValidationPipeOptions, 'exceptionFactory'>>;
  /** The pipe class to install; undefined for `ApiValidationPipe` itself. */
  readonly pipe: Type<ApiValidationPipe> | undefined;
  /** Compiles class-validator DTOs (`validation.compile`). */
  readonly compile: boolean;
  readonly maxBodyDepth: number;
  /** Answers precognitive requests, where the error format is `laravel`. */
  readonly precognition: boolean;
}

/** Injection token of {@link ResolvedValidationOptions}. */
export const VALIDATION_OPTIONS = Symbol('nest-api-errors:validation-options');

export const VALIDATION_DEFAULTS = Object.freeze({
  status: 422,
  maxErrors: 100,
  maxBodyDepth: 128,
  precognition: true,
  compile: true,
});

/** Checks and freezes `validation`, `maxBodyDepth` and `precognition`. */
export function resolveValidationOptions(
  options: ValidationModuleOptions,
): ResolvedValidationOptions {
  const d = VALIDATION_DEFAULTS;
  const maxBodyDepth = integerOption('maxBodyDepth', options.maxBodyDepth, d.maxBodyDepth, 1);
  const precognition = booleanOption('precognition', options.precognition, d.precognition);
  if (options.validation === false) {
    return Object.freeze({
      enabled: false,
      status: d.status,
      maxErrors: d.maxErrors,
      pipeOptions: Object.freeze({}),
      pipe: undefined,
      compile: d.compile,
      maxBodyDepth,
      precognition,
    });
  }
  const { status = d.status, maxErrors, pipe, compile, ...pipeOptions } = options.validation ?? {};
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new ApiErrorsConfigError(
      'validation.status',
      `is ${String(status)}`,
      'Use a 4xx status such as 422 or 400.',
    );
  }
  if (pipe !== undefined && typeof pipe !== 'function') {
    throw new ApiErrorsConfigError(
      'validation.pipe',
      'is not a class',
      'Pass a subclass of ApiValidationPipe.',
    );
  }
  return Object.freeze({
    enabled: true,
    status,
    maxErrors: integerOption('validation.maxErrors', maxErrors, d.maxErrors, 1),
    pipeOptions: Object.freeze(pipeOptions),
    pipe,
    compile: booleanOption('validation.compile', compile, d.compile),
    maxBodyDepth,
    precognition,
  });
}
