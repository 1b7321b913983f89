import type { FieldError } from '../errors/api-error.js';
import { REQUIRED_CONSTRAINT, type FlattenedErrors } from './flatten-validation-errors.js';

/**
 * One issue of a Standard Schema (`~standard.validate`) failure, with the members the common
 * validators add: zod's `code` and `keys`, valibot's `type` and `expected`, arktype's `code`,
 * `expected` and `propString`. Only `message` and `path` are the spec's own.
 */
export interface StandardIssueLike {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly kind?: unknown;
  readonly keys?: unknown;
  readonly expected?: unknown;
  readonly propString?: unknown;
}

/** The constraint name class-validator gives a property `forbidNonWhitelisted` rejects. */
export const UNKNOWN_KEY_CONSTRAINT = 'whitelistValidation';

/** One path segment's key: `{ key }` objects (valibot's) unwrapped. */
function segmentKey(segment: PropertyKey | { readonly key: PropertyKey }): PropertyKey {
  return typeof segment === 'object' && segment !== null ? segment.key : segment;
}

/** A key as the dot path shows it: symbols by their description. */
function keyName(key: PropertyKey): string {
  return typeof key === 'symbol' ? (key.description ?? '') : String(key);
}

function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/**
 * True when nothing is at `keys` in `input`: a missing (or undefined) value, which gives the
 * single "is required" message whatever the validator said. Reads own properties only, by the
 * keys themselves: a symbol's description is no key of the object.
 */
function isMissing(input: unknown, keys: readonly PropertyKey[]): boolean {
  let node = input;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === undefined;
}

/**
 * True when `message` names `path` as class-validator's own messages do: `property <path> …`
 * (`nested property customer must be either object or array`). A path merely mentioned
 * (`Too small: expected array to have >=1 items`) does not count.
 */
function namesPath(message: string, path: string): boolean {
  const named = `property ${path}`;
  let at = message.indexOf(named);
  while (at !== -1) {
    const after = message[at + named.length];
    if ((at === 0 || message[at - 1] === ' ') && (after === undefined || after === ' ')) {
      return true;
    }
    at = message.indexOf(named, at + 1);
  }
  return false;
}

/**
 * The validator's message, prefixed by the full path as class-validator messages are: a message
 * that starts with the property's own name (`phone must be …`, as custom messages are written)
 * or with the validator's rendering of the path (arktype's `items[0].sku must …`) starts with the
 * dot path instead; one that names the full path as `property <path>` is kept; any other gets
 * `<path>: ` in front. Root issues keep the message as it is.
 */
function messageAtPath(issue: StandardIssueLike, path: string, property: string): string {
  const message = String(issue.message);
  if (path === '') return message;
  if (message.startsWith(path + ' ') || namesPath(message, path)) return message;
  for (const prefix of [property, issue.propString]) {
    if (typeof prefix === 'string' && prefix !== '' && message.startsWith(prefix + ' ')) {
      return path + message.slice(prefix.length);
    }
  }
  return `${path}: ${message}`;
}

/** The issue's constraint name: zod's and arktype's `code`, valibot's `type`, else its `kind`. */
function constraintOf(issue: StandardIssueLike): string {
  for (const name of [issue.code, issue.type, issue.kind]) {
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'invalid';
}

/**
 * The paths of the properties an issue rejects as unknown (zod `.strict()`, valibot
 * `strictObject`, arktype `"+": "reject"`), or undefined for any other issue.
 */
function unknownKeyPaths(issue: StandardIssueLike, path: string): string[] | undefined {
  // zod: one issue at the object, naming every key.
  if (issue.code === 'unrecognized_keys' && Array.isArray(issue.keys)) {
    return issue.keys.map((key: unknown) => joinPath(path, String(key)));
  }
  // valibot: one issue per key, at the key; arktype: the same, "must be removed".
  if (issue.expected === 'never' && issue.type === 'strict_object') return [path];
  if (issue.expected === 'removed' && issue.code === 'predicate') return [path];
  return undefined;
}

/**
 * Turns the issues of a Standard Schema failure into the field errors class-validator's
 * failures become (see flattenValidationErrors): dot paths (`customer.phone`, `items.0.sku`,
 * `matrix.1.0`); a missing value once, as "The <path> field is required."; an unknown property
 * at its own path as `property <path> should not exist`; every other issue with the validator's
 * message at its full path, its `code` / `type` / `kind` as the constraint. At most `limit`
 * entries; the rest are counted.
 *
 * @param input the value that was validated, to tell a missing value from a wrong one
 */
export function flattenStandardIssues(
  issues: readonly StandardIssueLike[],
  input: unknown,
  limit = 100,
): FlattenedErrors {
  const all: FieldError[] = [];
  /** Per object path: how many of its unknown properties lead its block of `all`. */
  const leading = new Map<string, number>();
  const required = new Set<string>();
  for (const issue of issues) {
    // Not `issue.path.map()`: arktype's path is an Array subclass whose constructor takes its
    // items, so map(), which builds its result through that constructor, turns [] into [0].
    const keys = Array.from(issue.path ?? [], segmentKey);
    const segments = keys.map(keyName);
    const path = segments.join('.');
    const unknown = unknownKeyPaths(issue, path);
    if (unknown !== undefined) {
      for (const at of unknown) {
        const parent = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : '';
        placeFirstIn(all, leading, parent, {
          path: at,
          message: `property ${at} should not exist`,
          constraint: UNKNOWN_KEY_CONSTRAINT,
        });
      }
      continue;
    }
    if (keys.length > 0 && isMissing(input, keys)) {
      // One message for a missing value, however many checks the validator reported.
      if (required.has(path)) continue;
      required.add(path);
      all.push({
        path,
        message: `The ${path} field is required.`,
        constraint: REQUIRED_CONSTRAINT,
      });
      continue;
    }
    const property = segments.length > 0 ? segments[segments.length - 1] : '';
    all.push({
      path,
      message: messageAtPath(issue, path, property),
      constraint: constraintOf(issue),
    });
  }
  const fieldErrors = all.length > limit ? all.slice(0, limit) : all;
  return { fieldErrors, omitted: all.length - fieldErrors.length };
}

/** True when `path` is `object` or lies under it (every path lies under the root, ''). */
function isUnder(path: string, object: string): boolean {
  return object === '' || path === object || path.startsWith(object + '.');
}

/**
 * Adds an unknown property's error where class-validator has it: first among the errors of its
 * object, after the object's other unknown properties. Validators report unknown keys after the
 * object's other issues, which are contiguous (depth first), so the object's block is found by
 * walking back from the end: the cost is the block's length, never the whole list's.
 */
function placeFirstIn(
  all: FieldError[],
  leading: Map<string, number>,
  object: string,
  error: FieldError,
): void {
  let start = all.length;
  while (start > 0 && isUnder(all[start - 1].path, object)) start--;
  // The object's block may have begun before errors of an enclosing object's unknown keys were
  // placed; those lead the enclosing block, never this one.
  const at = Math.min(all.length, start + (leading.get(object) ?? 0));
  all.splice(at, 0, error);
  leading.set(object, (leading.get(object) ?? 0) + 1);
}
