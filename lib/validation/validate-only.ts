import type { FieldError } from '../errors/api-error.js';
import { ApiException } from '../errors/api.exception.js';

/**
 * The fields a `Precognition-Validate-Only` header lists, ready to match error paths against.
 * A field matches an error at its own path or nested under it (`items` matches `items.0.sku`);
 * a `*` segment stands for any one segment (`items.*.sku`), as in Laravel's rule names and the
 * `laravel-precognition` client's own matching.
 */
export interface ValidateOnly {
  /** Fields without a wildcard, matched with one set look-up per level of the error's path. */
  readonly names: ReadonlySet<string>;
  /** Fields with a `*` segment, split at their dots. */
  readonly patterns: readonly (readonly string[])[];
}

/**
 * Reads a `Precognition-Validate-Only` header: field names in dot notation, separated by commas
 * (the client joins them without spaces; Node joins a repeated header with `, `). Blank entries
 * are dropped, so a blank header lists no field and every error is filtered out, as in Laravel,
 * where it leaves no rule to check. Undefined without the header: every field is reported.
 */
export function parseValidateOnly(
  header: string | readonly string[] | undefined,
): ValidateOnly | undefined {
  if (header === undefined) return undefined;
  const names = new Set<string>();
  const patterns: string[][] = [];
  const text = typeof header === 'string' ? header : header.join(',');
  for (const entry of text.split(',')) {
    const field = entry.trim();
    if (field === '') continue;
    if (field.includes('*')) patterns.push(field.split('.'));
    else names.add(field);
  }
  return { names, patterns };
}

/** True when the error at `path` belongs to one of the listed fields. */
export function isListedField(path: string, only: ValidateOnly): boolean {
  // The path itself, then each enclosing field: `items.0.sku`, `items.0`, `items`.
  if (only.names.has(path)) return true;
  for (let dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
    if (only.names.has(path.slice(0, dot))) return true;
  }
  if (only.patterns.length === 0) return false;
  const segments = path.split('.');
  return only.patterns.some(
    (pattern) =>
      pattern.length <= segments.length &&
      pattern.every((part, i) => (part === '*' ? segments[i] !== '' : part === segments[i])),
  );
}

/** The field errors of the listed fields, in their order. */
export function listedFieldErrors(
  errors: readonly FieldError[],
  only: ValidateOnly,
): readonly FieldError[] {
  return errors.filter((error) => isListedField(error.path, only));
}

/**
 * The part of a failure that concerns the listed fields: a validation failure keeps only
 * their field errors (the formats recompute its summary and counts from them), or is nothing
 * to report when none is left; any other failure is reported whole.
 */
export function listedFailure(error: unknown, only: ValidateOnly): unknown {
  if (!(error instanceof ApiException) || error.code !== 'validation_error') return error;
  const all = error.extras.fieldErrors ?? [];
  const kept = listedFieldErrors(all, only);
  if (kept.length === all.length) return error;
  // Errors left out past validation.maxErrors have no known field: any of them may be a listed
  // field's, so their count stays and the request never passes for valid on a guess.
  if (kept.length === 0 && !error.extras.omittedFieldErrors) return undefined;
  return new ApiException('validation_error', error.publicMessage, {
    ...error.extras,
    fieldErrors: kept,
  });
}
