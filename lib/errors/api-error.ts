/**
 * The canonical error. Every failure, whatever its origin, is normalised into one of these
 * before a format renders it; formats never see the original exception.
 */

/** One failing constraint of one field. */
export interface FieldError {
  /** Dot-notation path of the field: `customer.phone`, `items.0.sku`. */
  readonly path: string;
  /** Public message, naming the full path. */
  readonly message: string;
  /** Machine name of the failed constraint (`isString`, `required`, …), when known. */
  readonly constraint?: string;
}

export interface CanonicalError {
  /** Stable machine code from the catalogue (`not_found`, `validation_error`, …). */
  readonly code: string;
  /** HTTP status, always an integer in 400–599. */
  readonly status: number;
  /** Fixed title of the code. */
  readonly title: string;
  /** Public message. For 5xx this is always the code's generic message. */
  readonly message: string;
  /** Field errors of a validation failure, in the order they were found. */
  readonly fieldErrors?: readonly FieldError[];
  /** How many field errors were dropped to keep the response bounded. */
  readonly omittedFieldErrors?: number;
  /** Structured details (nested format: `error.details`). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Extra members rendered beside the standard ones (`feature`, `requiredTier`, …). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Response headers the error carries (`Retry-After`, `WWW-Authenticate`, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The original error. Logged, never sent. */
  readonly cause?: unknown;
}

/** Groups field errors into the `{ path: [messages] }` map most formats send. */
export function fieldErrorMap(errors: readonly FieldError[]): Record<string, string[]> {
  const map: Record<string, string[]> = Object.create(null);
  for (const { path, message } of errors) {
    (map[path] ??= []).push(message);
  }
  return map;
}

/** The summary message of a validation failure: "first (and N more errors)". */
export function summariseFieldErrors(errors: readonly FieldError[], omitted = 0): string {
  const first = errors[0]?.message ?? 'The request failed validation';
  const more = errors.length - 1 + omitted;
  if (more <= 0) return first;
  return `${first} (and ${more} more ${more === 1 ? 'error' : 'errors'})`;
}
