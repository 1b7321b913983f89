import type { FieldError } from '../errors/api-error.js';

/** The parts of class-validator's `ValidationError` that flattening reads. */
export interface ValidationErrorLike {
  property: string;
  value?: unknown;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

export interface FlattenedErrors {
  readonly fieldErrors: FieldError[];
  /** Field errors left out past the limit. */
  readonly omitted: number;
}

/** The constraint name given to a missing value's single message. */
export const REQUIRED_CONSTRAINT = 'required';

/**
 * Constraints that say what kind of value a field must hold. class-validator runs a property's
 * decorators bottom-up, so `@IsInt() @Min(1) @Max(100)` reports `max` first for `abc`; a value of
 * the wrong kind leads with the kind instead, whatever order the decorators were written in.
 */
const KIND_CONSTRAINTS: ReadonlySet<string> = new Set([
  'isDefined',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isDate',
  'isDateString',
  'isISO8601',
  'isArray',
  'isObject',
  'isEnum',
  'isNumberString',
  'isBooleanString',
]);

/** A property's constraints, those naming the value's kind first, the rest in their order. */
function kindFirst(constraints: Record<string, string>): [string, string][] {
  const entries = Object.entries(constraints);
  if (entries.length < 2) return entries;
  const kinds = entries.filter(([name]) => KIND_CONSTRAINTS.has(name));
  if (kinds.length === 0 || kinds.length === entries.length) return entries;
  return [...kinds, ...entries.filter(([name]) => !KIND_CONSTRAINTS.has(name))];
}

/**
 * Rewrites a class-validator message so that it names the full path: `phone must be a string`
 * → `customer.phone must be a string`, and `property extra should not exist` →
 * `property customer.extra should not exist`. Custom messages that do not start with the
 * property name are kept as they are.
 */
export function messageWithPath(message: string, property: string, path: string): string {
  if (property === path) return message;
  if (message.startsWith(property + ' ')) return path + message.slice(property.length);
  const whitelist = `property ${property} `;
  if (message.startsWith(whitelist)) return `property ${path} ` + message.slice(whitelist.length);
  return message;
}

/**
 * Flattens class-validator's error tree into dot-notation field errors: nested objects
 * `customer.phone`, arrays `items.0.sku`, arrays of arrays `matrix.1.0`. Each failing constraint
 * gives one message, those naming the value's kind first, except a missing value, which gives
 * the single message "The <path> field is required.". Walks the tree without recursion (a
 * hostile payload may be deep) and stops collecting after `limit` entries, counting the rest.
 */
export function flattenValidationErrors(
  errors: readonly ValidationErrorLike[],
  limit = 100,
): FlattenedErrors {
  const fieldErrors: FieldError[] = [];
  let omitted = 0;
  // Depth-first, in document order: push children reversed so the first is popped first.
  const stack: { error: ValidationErrorLike; parent: string }[] = [];
  for (let i = errors.length - 1; i >= 0; i--) stack.push({ error: errors[i], parent: '' });
  while (stack.length > 0) {
    const { error, parent } = stack.pop() as { error: ValidationErrorLike; parent: string };
    const property = String(error.property ?? '');
    const path = parent === '' ? property : property === '' ? parent : `${parent}.${property}`;
    const constraints = error.constraints ? kindFirst(error.constraints) : [];
    if (constraints.length > 0) {
      // Nest's pipe deletes the value of errors with children (`items: {}` failing isArray and
      // its nested checks): that is a present value, never a missing one.
      const missing =
        error.value === undefined && !(error.children !== undefined && error.children.length > 0);
      if (missing && !('whitelistValidation' in (error.constraints ?? {}))) {
        if (fieldErrors.length < limit) {
          fieldErrors.push({
            path,
            message: `The ${path} field is required.`,
            constraint: REQUIRED_CONSTRAINT,
          });
        } else omitted++;
      } else {
        for (const [constraint, message] of constraints) {
          if (fieldErrors.length < limit) {
            fieldErrors.push({
              path,
              message: messageWithPath(message, property, path),
              constraint,
            });
          } else omitted++;
        }
      }
    }
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ error: children[i], parent: path });
  }
  return { fieldErrors, omitted };
}
