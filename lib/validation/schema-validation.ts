import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ApiException } from '../errors/api.exception.js';
import { reservedKeyErrors } from './reserved-keys.js';
import { flattenStandardIssues, type StandardIssueLike } from './standard-schema-issues.js';
import type { ResolvedValidationOptions } from './validation.options.js';

/** What a Standard Schema (zod 4, valibot 1, arktype 2, …) offers a validator of it. */
export interface StandardSchemaLike {
  readonly '~standard': {
    validate(
      value: unknown,
    ):
      | { readonly value?: unknown; readonly issues?: readonly StandardIssueLike[] }
      | Promise<{ readonly value?: unknown; readonly issues?: readonly StandardIssueLike[] }>;
  };
}

/** How a schema failure is bounded and answered. */
export interface SchemaFailureOptions {
  readonly maxErrors: number;
  /** The status of the failure; undefined for the configured validation status. */
  readonly status: number | undefined;
}

/**
 * Validates `value` with a parameter's Standard Schema (`@Body({ schema })`) and returns the
 * schema's output (coerced numbers, defaults, dates), as Nest's StandardSchemaValidationPipe
 * does. A failure is `validation_error` with the same field map class-validator's failures get,
 * in the configured status, bounded to `maxErrors`. `__proto__` and `constructor` keys are
 * rejected at their paths whatever the schema says of unknown keys: they are never data.
 */
export async function validateWithSchema(
  schema: StandardSchemaLike,
  value: unknown,
  config: SchemaFailureOptions,
): Promise<unknown> {
  const { maxErrors, status } = config;
  const reserved = reservedKeyErrors(value, maxErrors);
  const result = await schema['~standard'].validate(value);
  const issues = result.issues;
  if ((issues === undefined || issues.length === 0) && reserved.length === 0) return result.value;
  // Bounded only after the schema's own report of a reserved key is dropped, so that it never
  // counts as left out. The issues themselves are as many as the schema reported.
  const { fieldErrors } = flattenStandardIssues(issues ?? [], value, Infinity);
  const seen = new Set(reserved.map((error) => error.path));
  const all = [...reserved, ...fieldErrors.filter((error) => !seen.has(error.path))];
  throw new ApiException('validation_error', undefined, {
    fieldErrors: all.slice(0, maxErrors),
    omittedFieldErrors: Math.max(0, all.length - maxErrors),
    status,
  });
}

/** True when the pipe validates this parameter: custom decorators only when asked to. */
export function validatesParameter(
  metadata: ArgumentMetadata,
  config: ResolvedValidationOptions,
): boolean {
  return metadata.type !== 'custom' || config.pipeOptions.validateCustomDecorators === true;
}

/**
 * Validates one parameter with a Standard Schema given to the pipe itself rather than to the
 * parameter decorator, for code written that way (`@Body(new StandardSchemaPipe(schema))`, as
 * with nestjs-zod's `ZodValidationPipe`). Failures are `validation_error` with the same field
 * map, in the configured validation status; the handler receives the schema's output.
 *
 * @example
 * @Post()
 * create(@Body(new StandardSchemaPipe(createBooking)) input: z.output<typeof createBooking>) {}
 */
export class StandardSchemaPipe implements PipeTransform {
  /**
   * @param schema any Standard Schema: zod 4, valibot 1, arktype 2, …
   * @param options.maxErrors field errors sent at most; the rest are counted (default 100)
   */
  constructor(
    private readonly schema: StandardSchemaLike,
    private readonly options: { readonly maxErrors?: number } = {},
  ) {}

  transform(value: unknown): Promise<unknown> {
    return validateWithSchema(this.schema, value, {
      maxErrors: this.options.maxErrors ?? 100,
      status: undefined,
    });
  }
}

/**
 * The global pipe where class-validator and class-transformer are not installed: parameters
 * with a Standard Schema get the whole validation contract; any other passes unchanged (the
 * start-up check names those typed with a class, which would need class-validator).
 */
export class ApiSchemaValidationPipe implements PipeTransform {
  constructor(protected readonly config: ResolvedValidationOptions) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = metadata.schema as StandardSchemaLike | undefined;
    if (schema === undefined || !validatesParameter(metadata, this.config)) return value;
    return validateWithSchema(schema, value, this.config);
  }
}
