import type { ErrorFormatName } from '../formats/index.js';
import type { ErrorContract } from './error-contract.js';

/** A JSON Schema as an OpenAPI Schema Object holds it. */
export type JsonSchema = Record<string, unknown>;

/** What the schemas of one app's error bodies depend on. */
export interface SchemaContext {
  readonly format: ErrorFormatName;
  /** `flat` and `laravel` bodies carry `request_id`. */
  readonly includeRequestId: boolean;
  /** Set: `problem` types are URIs under it; unset: `about:blank` with the name in `code`. */
  readonly typeBaseUri: string | undefined;
  /** Plan tiers, lowest first (`requiredTier`). */
  readonly tiers: readonly string[];
  /** Field errors sent at most (`omittedErrors` counts the rest). */
  readonly maxErrors: number;
  /** OpenAPI 3.1 writes a nullable value as a type list; 3.0 with `nullable: true`. */
  readonly openapi31: boolean;
}

/**
 * The schema context of an app: its options; `openapi31` for a 3.1 document. A custom format's
 * bodies have no shape the library knows; `flat` stands in where one is asked for.
 */
export function schemaContextOf(contract: ErrorContract, openapi31: boolean): SchemaContext {
  const format = contract.errorResponse.format;
  return {
    format: typeof format === 'function' ? 'flat' : format,
    includeRequestId: contract.errorResponse.includeRequestId,
    typeBaseUri: contract.errorResponse.typeBaseUri,
    tiers: contract.entitlements.tiers,
    maxErrors: contract.validation.maxErrors,
    openapi31,
  };
}

/** One shape of error body: a component schema, and the members fixed per error. */
export interface BodyShape {
  /** Its component name: `ApiError`, `ApiValidationError`, `ApiFeatureNotEntitledError`, …. */
  readonly name: string;
  readonly schema: JsonSchema;
  /**
   * Members whose value each error fixes (its code, status, title, the feature it lacks), by
   * path: a response narrows each to the values its errors take.
   */
  readonly fixed: readonly (readonly string[])[];
}

type Body = Record<string, unknown>;

const FEATURE_MEMBERS = ['feature', 'isTrial', 'upgradeRequired', 'requiredTier'];

function string(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', description, ...extra };
}

function integer(description: string, minimum?: number): JsonSchema {
  return minimum === undefined
    ? { type: 'integer', description }
    : { type: 'integer', minimum, description };
}

function object(
  properties: Record<string, JsonSchema>,
  required: readonly string[],
  description?: string,
): JsonSchema {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    required: [...required],
    properties,
    additionalProperties: false,
  };
}

function nullableString(context: SchemaContext, description: string, values?: unknown[]) {
  const schema: JsonSchema = context.openapi31
    ? { type: ['string', 'null'], description }
    : { type: 'string', nullable: true, description };
  if (values) schema.enum = values;
  return schema;
}

/** A member's schema from its example value, for members the library does not know. */
function inferred(value: unknown, context: SchemaContext): JsonSchema {
  if (value === null) return context.openapi31 ? { type: 'null' } : { nullable: true };
  if (Array.isArray(value)) return { type: 'array', items: {} };
  switch (typeof value) {
    case 'number':
      return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'object':
      return { type: 'object' };
    default:
      return { type: 'string' };
  }
}

/** The component name of an error with members of its own: `ApiStoreLockedError`. */
function extendedName(code: string): string {
  const words = code
    .split(/[_\W]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
  if (words[words.length - 1] === 'Error') words.pop();
  return `Api${words.join('')}Error`;
}

function featureMembers(context: SchemaContext): Record<string, JsonSchema> {
  return {
    feature: string('The feature the request needs and the caller lacks.'),
    isTrial: {
      type: 'boolean',
      description: 'true when the caller had a trial of the feature that has ended.',
    },
    upgradeRequired: {
      type: 'boolean',
      description: 'true when a higher plan tier includes the feature.',
    },
    requiredTier: nullableString(
      context,
      'The lowest plan tier that includes the feature; null for a feature sold only as an add-on.',
      [...context.tiers, null],
    ),
  };
}

function fieldMap(context: SchemaContext): JsonSchema {
  return {
    type: 'object',
    description:
      'Messages by field, in dot notation (`customer.phone`, `items.0.sku`); `""` is the whole body.',
    additionalProperties: { type: 'array', minItems: 1, items: { type: 'string' } },
    maxProperties: context.maxErrors,
  };
}

function omitted(context: SchemaContext): JsonSchema {
  return integer(`Field errors left out past the first ${context.maxErrors}.`, 1);
}

const REQUEST_ID = (where: string) =>
  string(`The request id, as in the X-Request-Id header${where}.`);

/** Members a body has beyond `known`. */
function extraMembers(body: Body, known: readonly string[]): string[] {
  return Object.keys(body).filter((key) => !known.includes(key));
}

/** True when `extras` are exactly the members of a feature_not_entitled error. */
function isFeature(extras: readonly string[]): boolean {
  return (
    extras.length === FEATURE_MEMBERS.length && FEATURE_MEMBERS.every((m) => extras.includes(m))
  );
}

/**
 * The shape of a body with members beyond the base ones (at the top level): those of a
 * feature_not_entitled error, whose `feature` and `requiredTier` each error fixes too, or members
 * of the app's own, typed from their values.
 */
function extendedShape(
  code: string,
  base: Record<string, JsonSchema>,
  required: readonly string[],
  fixed: readonly (readonly string[])[],
  extras: Body,
  context: SchemaContext,
): BodyShape {
  const keys = Object.keys(extras);
  if (isFeature(keys)) {
    return {
      name: 'ApiFeatureNotEntitledError',
      schema: object({ ...base, ...featureMembers(context) }, [...required, ...FEATURE_MEMBERS]),
      fixed: [...fixed, ['feature'], ['requiredTier']],
    };
  }
  const properties = { ...base };
  for (const key of keys) properties[key] = inferred(extras[key], context);
  return {
    name: extendedName(code),
    schema: object(properties, [...required, ...keys]),
    fixed,
  };
}

function flatShape(body: Body, context: SchemaContext, code: string): BodyShape {
  const base: Record<string, JsonSchema> = {
    error: string('The error code: see the table of codes.'),
    status: integer('The HTTP status of the response.'),
  };
  const required = ['error', 'status'];
  if (context.includeRequestId) {
    base.request_id = REQUEST_ID('');
    required.push('request_id');
  }
  const fixed = [['error'], ['status']];
  if ('errors' in body) {
    return {
      name: 'ApiValidationError',
      schema: object(
        { ...base, errors: fieldMap(context), omittedErrors: omitted(context) },
        [...required, 'errors'],
        'A validation failure: the envelope and the messages by field.',
      ),
      fixed,
    };
  }
  const extras = extraMembers(body, Object.keys(base));
  if (extras.length === 0) {
    return { name: 'ApiError', schema: object(base, required, 'The error envelope.'), fixed };
  }
  return extendedShape(code, base, required, fixed, pick(body, extras), context);
}

function problemShape(body: Body, context: SchemaContext, code: string): BodyShape {
  const blank = context.typeBaseUri === undefined;
  const base: Record<string, JsonSchema> = {
    type: string(
      blank
        ? '`about:blank`: the problem type has no URI of its own; `code` names it (RFC 9457 §4.2.1).'
        : `The problem type, a URI under ${context.typeBaseUri}.`,
    ),
    title: string(
      blank
        ? 'The HTTP status phrase.'
        : 'A short summary of the problem type, the same for every occurrence.',
    ),
    status: integer('The HTTP status of the response.'),
    detail: string('What went wrong in this occurrence, in words.'),
    instance: REQUEST_ID(''),
  };
  const required = ['type', 'title', 'status', 'detail', 'instance'];
  const fixed = [['type'], ['title'], ['status']];
  if (blank) {
    base.code = string("The problem type's name: see the table of codes.");
    required.push('code');
    fixed.push(['code']);
  }
  if ('errors' in body) {
    return {
      name: 'ApiValidationError',
      schema: object(
        {
          ...base,
          errors: {
            type: 'array',
            description: 'One entry per failing field (RFC 9457 §3).',
            maxItems: context.maxErrors,
            items: object(
              {
                pointer: string('The field, as a JSON Pointer (RFC 6901) in a URI fragment.', {
                  pattern: '^#(/.*)?$',
                }),
                detail: string('What is wrong with it.'),
              },
              ['pointer', 'detail'],
            ),
          },
          omittedErrors: omitted(context),
        },
        [...required, 'errors'],
        'A validation failure (RFC 9457 problem details with an `errors` member).',
      ),
      fixed,
    };
  }
  const extras = extraMembers(body, Object.keys(base));
  if (extras.length === 0) {
    return {
      name: 'ApiError',
      schema: object(base, required, 'An RFC 9457 problem details object.'),
      fixed,
    };
  }
  return extendedShape(code, base, required, fixed, pick(body, extras), context);
}

function nestedShape(body: Body, context: SchemaContext, code: string): BodyShape {
  const inner = (body.error ?? {}) as Body;
  const errorMembers: Record<string, JsonSchema> = {
    code: string('The error code, in UPPER_SNAKE case: see the table of codes.'),
    message: string('What went wrong, in words.'),
  };
  const envelope = (error: JsonSchema, description?: string) =>
    object({ error, request_id: REQUEST_ID('') }, ['error', 'request_id'], description);
  const fixed = [['error', 'code']];
  if ('errors' in inner) {
    return {
      name: 'ApiValidationError',
      schema: envelope(
        object(
          {
            ...errorMembers,
            details: object(
              {
                field: string('The first failing field, in dot notation.'),
                reason: string('Its first message.'),
              },
              ['field', 'reason'],
            ),
            errors: fieldMap(context),
            omittedErrors: omitted(context),
          },
          ['code', 'message', 'errors'],
        ),
        'A validation failure: the first field in `details`, every message in `errors`.',
      ),
      fixed,
    };
  }
  if (!('details' in inner)) {
    return {
      name: 'ApiError',
      schema: envelope(object(errorMembers, ['code', 'message']), 'The error envelope.'),
      fixed,
    };
  }
  const details = (inner.details ?? {}) as Body;
  const keys = Object.keys(details);
  const feature = isFeature(keys);
  const properties: Record<string, JsonSchema> = feature ? featureMembers(context) : {};
  if (!feature) for (const key of keys) properties[key] = inferred(details[key], context);
  return {
    name: feature ? 'ApiFeatureNotEntitledError' : extendedName(code),
    schema: envelope(
      object({ ...errorMembers, details: object(properties, keys) }, [
        'code',
        'message',
        'details',
      ]),
    ),
    fixed: feature
      ? [...fixed, ['error', 'details', 'feature'], ['error', 'details', 'requiredTier']]
      : fixed,
  };
}

function laravelShape(body: Body, context: SchemaContext, code: string): BodyShape {
  const requestId: Record<string, JsonSchema> = context.includeRequestId
    ? { request_id: REQUEST_ID('') }
    : {};
  const withId = (required: string[]) =>
    context.includeRequestId ? [...required, 'request_id'] : required;
  if ('errors' in body) {
    return {
      name: 'ApiValidationError',
      schema: object(
        {
          message: string('The first message, with `(and N more errors)` when there are more.'),
          errors: fieldMap(context),
          omittedErrors: omitted(context),
          ...requestId,
        },
        withId(['message', 'errors']),
        "A validation failure, as Laravel's validator answers it.",
      ),
      fixed: [],
    };
  }
  if ('message' in body) {
    return {
      name: 'ApiErrorMessage',
      schema: object(
        {
          message: string('`Too Many Attempts.` for a 429, `Server Error` for every 5xx.'),
          ...requestId,
        },
        withId(['message']),
        'A rate-limit refusal or a server error.',
      ),
      fixed: [['message']],
    };
  }
  const base: Record<string, JsonSchema> = {
    error: string('What went wrong, in words.'),
    ...requestId,
  };
  const required = withId(['error']);
  const extras = extraMembers(body, Object.keys(base));
  if (extras.length === 0) {
    return { name: 'ApiError', schema: object(base, required, 'The error envelope.'), fixed: [] };
  }
  return extendedShape(code, base, required, [], pick(body, extras), context);
}

function pick(body: Body, keys: readonly string[]): Body {
  const picked: Body = {};
  for (const key of keys) picked[key] = body[key];
  return picked;
}

/**
 * The shape of one rendered error body in the app's format: which component schema describes
 * it and which of its members each error fixes. Read from the body the renderer produced, so a
 * shape exists exactly for what is sent. `code` is the canonical code (it names the component
 * of an error with members of its own).
 */
export function bodyShape(body: unknown, code: string, context: SchemaContext): BodyShape {
  const value = (body ?? {}) as Body;
  switch (context.format) {
    case 'flat':
      return flatShape(value, context, code);
    case 'problem':
      return problemShape(value, context, code);
    case 'nested':
      return nestedShape(value, context, code);
    case 'laravel':
      return laravelShape(value, context, code);
  }
}

/** The value at `path` in `body`, or undefined. */
export function valueAt(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Body)[key];
  }
  return value;
}

/**
 * A schema that narrows each member at `paths` to `values` (nested `properties` down to it):
 * what one response adds to its shape's component, e.g. `error` to the codes it answers with.
 */
export function narrowing(
  entries: readonly (readonly [readonly string[], readonly unknown[]])[],
): JsonSchema {
  const root: JsonSchema = {};
  for (const [path, values] of entries) {
    let node = root;
    path.forEach((key, i) => {
      const properties = (node.properties ??= {}) as Record<string, JsonSchema>;
      if (i === path.length - 1) properties[key] = { enum: [...values] };
      else node = properties[key] ??= {};
    });
  }
  return root;
}
