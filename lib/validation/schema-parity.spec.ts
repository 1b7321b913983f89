import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../errors/api-error.js';
import { ApiException } from '../errors/api.exception.js';
import { resolveErrorResponseOptions } from '../filter/error-response.options.js';
import { normaliseException } from '../filter/normalise-exception.js';
import { ERROR_FORMATS, FORMAT_RENDERERS, type ErrorFormatName } from '../formats/index.js';
import { ApiValidationPipe } from './api-validation.pipe.js';
import { arktypeOrder, OrderDto, valibotOrder, zodOrder } from './schema-parity.fixtures.js';
import { resolveValidationOptions } from './validation.options.js';

/**
 * One table of bodies, validated by the same order DTO written for class-validator, zod 4,
 * valibot 1 and arktype 2 (schema-parity.fixtures.ts), each through ApiValidationPipe exactly as
 * a route would run it: every validator must give the same field paths, the same messages for
 * missing values and unknown keys, the same pointers and the same keys in all four formats.
 *
 * Where a validator cannot express a rule, or reports differently by design, the case says so
 * for that validator alone, with the reason, at one of three scopes:
 * - `case`: the validator is not run on the body at all;
 * - `counts`: paths, messages, pointers and keys are compared, but not how many messages a path
 *   gets against the table, and so not the summary's "(and N more errors)" either;
 * - `bounds`: everything but the run bounded by maxErrors (kept errors, omittedErrors).
 * Each validator is held to the table rather than to one another, so that all four failing the
 * same way fails too.
 * Every exclusion is checked to be needed: a validator that starts to agree fails the last test.
 */

const VALIDATORS = ['class-validator', 'zod', 'valibot', 'arktype'] as const;
type Validator = (typeof VALIDATORS)[number];

/** The pipe's metadata for each validator: the DTO class, or the schema on a plain parameter. */
const METADATA: Readonly<Record<Validator, ArgumentMetadata>> = {
  'class-validator': { type: 'body', metatype: OrderDto },
  zod: { type: 'body', metatype: Object, schema: zodOrder },
  valibot: { type: 'body', metatype: Object, schema: valibotOrder },
  arktype: { type: 'body', metatype: Object, schema: arktypeOrder },
};

/** The maxErrors of the bounded run: small enough that most failing bodies omit errors. */
const SMALL_MAX_ERRORS = 2;

type Kind = 'missing' | 'unknown' | 'invalid';

/** One path every validator reports, and how many messages it gets. */
interface Expected {
  readonly path: string;
  readonly kind: Kind;
  readonly count: number;
}

type Scope = 'case' | 'counts' | 'bounds';

interface Exclusion {
  readonly scope: Scope;
  readonly reason: string;
}

interface ParityCase {
  readonly name: string;
  readonly body: unknown;
  /**
   * The paths that fail, in class-validator's order: an object's unknown keys first, in the
   * order they came, then its declared fields in declaration order, depth first.
   */
  readonly errors: readonly Expected[];
  readonly except?: Partial<Record<Validator, Exclusion>>;
}

/** A value that is not there: "The <path> field is required." and nothing else. */
const missing = (path: string): Expected => ({ path, kind: 'missing', count: 1 });
/** A key the DTO does not declare: "property <path> should not exist" and nothing else. */
const unknown = (path: string): Expected => ({ path, kind: 'unknown', count: 1 });
/** A value that fails `count` checks, each message naming the full path. */
const invalid = (path: string, count = 1): Expected => ({ path, kind: 'invalid', count });

// Why a validator is left out. Named, so that the list of exclusions below reads as a summary.
const EVERY_DECORATOR: Exclusion = {
  scope: 'counts',
  reason:
    'class-validator runs every decorator of a property: a value of the wrong kind also fails ' +
    'the checks after the kind (minLength, min, arrayNotEmpty, nestedValidation, isDefined), ' +
    'one message each, where the schemas stop at the kind',
};
const ONE_LEVEL_EACH: Exclusion = {
  scope: 'case',
  reason:
    "class-validator's `each` reaches one level down: a row of the matrix is checked whole and " +
    'a bad cell is reported at `matrix`, not at its own path (nothing reaches matrix.1.0)',
};
const OPTIONAL_NULL: Exclusion = {
  scope: 'case',
  reason:
    '@IsOptional() lets null through as well as a missing key; .optional(), v.optional() and ' +
    '"key?" let only a missing key through (nullish() would be the equivalent)',
};
const STAND_IN: Exclusion = {
  scope: 'case',
  reason:
    "Nest's ValidationPipe validates a body that is not an object as an empty one, so every " +
    'required field is reported missing, where a schema rejects the body whole at the root',
};
const ITEM_MESSAGE: Exclusion = {
  scope: 'case',
  reason:
    "class-validator's message for an item that is not an object names the array (`each value " +
    'in nested property items must be either object or array`), not items.0, and ' +
    'flattenValidationErrors keeps it as it is',
};
const NESTED_ARRAY: Exclusion = {
  scope: 'case',
  reason:
    'ValidateNested walks into an array found inside the array and validates the item there, ' +
    'so [[item]] passes',
};
const OBJECT_AS_ITEM: Exclusion = {
  scope: 'case',
  reason:
    'ValidateNested({ each: true }) validates an object in place of the array as one item ' +
    "(items.sku, items.qty); Nest's pipe then strips the value of an error with children, so " +
    'flattenValidationErrors reads items itself as missing',
};
const ARRAY_AS_OBJECT: Exclusion = {
  scope: 'case',
  reason:
    'an array passes for an object (typeof "object"): it is read as an object without the ' +
    "declared keys, whose indexes are unknown keys, where zod's object rejects it whole",
};
const ZOD_ARRAY_BODY: Exclusion = {
  scope: 'case',
  reason:
    'z.strictObject rejects an array body whole (expected object, received array), where ' +
    'class-validator, valibot and arktype read it as an object with keys 0, 1, …',
};
const FIRST_UNKNOWN_KEY: Exclusion = {
  scope: 'case',
  reason:
    "valibot's strictObject reports only the first unknown key of an object (its loop stops " +
    'after one issue); the issue does not carry the declared keys to find the others',
};
const UTF16_LENGTH: Exclusion = {
  scope: 'case',
  reason:
    'counts a string in UTF-16 code units (four emoji are 8 long), where class-validator and ' +
    'zod count characters (4)',
};
const ZOD_INT_IS_A_TYPE: Exclusion = {
  scope: 'counts',
  reason:
    "zod 4's .int() is part of the number's type (expected int, received number): a fraction " +
    'fails it and the minimum is not checked',
};
const ARKTYPE_INTERSECTION: Exclusion = {
  scope: 'counts',
  reason:
    'arktype reports the failed integer and minimum checks of one value as one message ' +
    '("must be... ◦ an integer ◦ at least 1")',
};

const CUSTOMER = { phone: '+31612345678', name: 'Ada Lovelace' };
const ITEM = { sku: 'CUT-1', qty: 1 };

/** A valid order, with `changes` made at the top level. */
function order(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer: { ...CUSTOMER },
    items: [{ ...ITEM }],
    matrix: [[1, 2], [3]],
    note: 'Window seat',
    ...changes,
  };
}

/** A valid order whose customer has `changes`. */
const withCustomer = (changes: Record<string, unknown>) =>
  order({ customer: { ...CUSTOMER, ...changes } });

/** A valid order with these items. */
const withItems = (...items: unknown[]) => order({ items });

/** A valid order without `key`. */
function orderWithout(key: string): Record<string, unknown> {
  const body = order();
  delete body[key];
  return body;
}

/** A body whose first key is an own `__proto__`, as JSON.parse makes it. */
const withProto = (rest: Record<string, unknown>) =>
  JSON.parse(`{"__proto__":{"admin":true},${JSON.stringify(rest).slice(1)}`) as unknown;

const STOPS_AT_KIND = { 'class-validator': EVERY_DECORATOR };

const CASES: readonly ParityCase[] = [
  // Valid bodies: every validator lets them through.
  { name: 'a complete order', body: order(), errors: [] },
  {
    name: 'an order without its optional fields',
    body: { customer: { phone: CUSTOMER.phone }, items: [ITEM], matrix: [[1]] },
    errors: [],
  },
  { name: 'an empty array of arrays', body: order({ matrix: [] }), errors: [] },
  { name: 'empty rows in the array of arrays', body: order({ matrix: [[], []] }), errors: [] },
  {
    name: 'unicode values',
    body: order({ customer: { phone: CUSTOMER.phone, name: 'Zoë 李 🙂' }, note: 'Fenêtre ✓' }),
    errors: [],
  },

  // Missing values.
  {
    name: 'an empty body',
    body: {},
    errors: [missing('customer'), missing('items'), missing('matrix')],
  },
  {
    name: 'a missing nested value',
    body: order({ customer: { name: 'Ada' } }),
    errors: [missing('customer.phone')],
  },
  {
    name: 'a missing nested object',
    body: orderWithout('customer'),
    errors: [missing('customer')],
  },
  { name: 'a missing array', body: orderWithout('items'), errors: [missing('items')] },
  {
    name: 'missing values in array items',
    body: withItems({ qty: 1 }, { sku: 'A' }),
    errors: [missing('items.0.sku'), missing('items.1.qty')],
  },
  {
    name: 'a missing value beside failing ones',
    body: { customer: {}, items: [{ sku: '', qty: 0 }], matrix: [[1]] },
    errors: [missing('customer.phone'), invalid('items.0.sku'), invalid('items.0.qty')],
  },

  // Null, which is a value, not a missing one.
  {
    name: 'null for a required string',
    body: withCustomer({ phone: null }),
    errors: [invalid('customer.phone')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'null for a nested object',
    body: order({ customer: null }),
    errors: [invalid('customer')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'null for an array',
    body: order({ items: null }),
    errors: [invalid('items')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'null for an array item',
    body: withItems(null),
    errors: [invalid('items.0')],
    except: { 'class-validator': ITEM_MESSAGE },
  },
  {
    name: 'null for an optional string',
    body: order({ note: null }),
    errors: [invalid('note')],
    except: { 'class-validator': OPTIONAL_NULL },
  },
  {
    name: 'null for an optional nested string',
    body: withCustomer({ name: null }),
    errors: [invalid('customer.name')],
    except: { 'class-validator': OPTIONAL_NULL },
  },
  {
    name: 'null in a row of the array of arrays',
    body: order({ matrix: [[1, null]] }),
    errors: [invalid('matrix.0.1')],
    except: { 'class-validator': ONE_LEVEL_EACH },
  },

  // Values of the wrong kind.
  {
    name: 'a number for a string',
    body: withCustomer({ phone: 31612345678 }),
    errors: [invalid('customer.phone')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'a string for a nested object',
    body: order({ customer: 'Ada' }),
    errors: [invalid('customer')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'an array for a nested object',
    body: order({ customer: [] }),
    errors: [invalid('customer')],
    except: { valibot: ARRAY_AS_OBJECT, arktype: ARRAY_AS_OBJECT },
  },
  {
    name: 'an object for an array',
    body: order({ items: {} }),
    errors: [invalid('items')],
    except: { 'class-validator': OBJECT_AS_ITEM },
  },
  {
    name: 'a string for an array item',
    body: withItems('CUT-1'),
    errors: [invalid('items.0')],
    except: { 'class-validator': ITEM_MESSAGE },
  },
  {
    name: 'an array in place of an item',
    body: withItems([ITEM]),
    errors: [invalid('items.0')],
    except: {
      'class-validator': NESTED_ARRAY,
      valibot: ARRAY_AS_OBJECT,
      arktype: ARRAY_AS_OBJECT,
    },
  },
  {
    name: 'a string for an array of arrays',
    body: order({ matrix: '1,2' }),
    errors: [invalid('matrix')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'a number for a row of the array of arrays',
    body: order({ matrix: [1, [2]] }),
    errors: [invalid('matrix.0')],
    except: { 'class-validator': ONE_LEVEL_EACH },
  },
  {
    name: 'cells of the wrong kind in an array of arrays',
    body: order({ matrix: [[1], [2, 'x'], [1.5]] }),
    errors: [invalid('matrix.1.1'), invalid('matrix.2.0')],
    except: { 'class-validator': ONE_LEVEL_EACH },
  },
  {
    name: 'a string for an integer',
    body: withItems({ sku: 'A', qty: '1' }),
    errors: [invalid('items.0.qty')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'a number for a string in an array item',
    body: withItems({ sku: 5, qty: 1 }),
    errors: [invalid('items.0.sku')],
    except: STOPS_AT_KIND,
  },
  {
    name: 'a boolean for an optional string',
    body: order({ note: true }),
    errors: [invalid('note')],
  },
  {
    name: 'values of the wrong kind everywhere',
    body: { customer: 1, items: 'x', matrix: {}, note: [] },
    errors: [invalid('customer'), invalid('items'), invalid('matrix'), invalid('note')],
    except: STOPS_AT_KIND,
  },

  // Lengths and minimums.
  {
    name: 'a string below its minimum length',
    body: withCustomer({ phone: '123' }),
    errors: [invalid('customer.phone')],
  },
  {
    name: 'an empty string in an array item',
    body: withItems({ sku: '', qty: 1 }),
    errors: [invalid('items.0.sku')],
  },
  {
    name: 'an integer below its minimum',
    body: withItems({ sku: 'A', qty: 0 }),
    errors: [invalid('items.0.qty')],
  },
  {
    name: 'a fraction for an integer',
    body: withItems({ sku: 'A', qty: 1.5 }),
    errors: [invalid('items.0.qty')],
  },
  {
    name: 'a fraction below the minimum',
    body: withItems({ sku: 'A', qty: -1.5 }),
    errors: [invalid('items.0.qty', 2)],
    except: { zod: ZOD_INT_IS_A_TYPE, arktype: ARKTYPE_INTERSECTION },
  },
  {
    name: 'errors in several array items',
    body: withItems({ sku: '', qty: 1 }, { sku: 'B', qty: 0 }, { sku: 'C', qty: 2.5 }),
    errors: [invalid('items.0.sku'), invalid('items.1.qty'), invalid('items.2.qty')],
  },
  { name: 'an empty array that must not be', body: withItems(), errors: [invalid('items')] },
  {
    name: 'characters outside the BMP under a minimum length',
    body: withCustomer({ phone: '😀😀😀😀' }),
    errors: [invalid('customer.phone')],
    except: { valibot: UTF16_LENGTH, arktype: UTF16_LENGTH },
  },

  // Unknown keys, at their own paths.
  { name: 'an unknown top-level key', body: order({ extra: 1 }), errors: [unknown('extra')] },
  {
    name: 'an unknown nested key',
    body: withCustomer({ vip: true }),
    errors: [unknown('customer.vip')],
  },
  {
    name: 'an unknown key in an array item',
    body: withItems({ ...ITEM, colour: 'red' }),
    errors: [unknown('items.0.colour')],
  },
  {
    name: 'unknown keys in several array items',
    body: withItems({ ...ITEM, a: 1 }, ITEM, { ...ITEM, b: 2 }),
    errors: [unknown('items.0.a'), unknown('items.2.b')],
  },
  {
    name: 'several unknown keys in one object',
    body: order({ b: 1, a: 2, customer: { ...CUSTOMER, z: 1, y: 2 } }),
    errors: [unknown('b'), unknown('a'), unknown('customer.z'), unknown('customer.y')],
    except: { valibot: FIRST_UNKNOWN_KEY },
  },
  {
    name: 'unknown keys beside a failing field',
    body: order({ customer: { vip: 1, phone: '1' }, zz: 1 }),
    errors: [unknown('zz'), unknown('customer.vip'), invalid('customer.phone')],
  },
  { name: 'a __proto__ key', body: withProto(order()), errors: [unknown('__proto__')] },
  {
    name: 'a constructor key in a nested object',
    body: withCustomer({ constructor: 'x' }),
    errors: [unknown('customer.constructor')],
  },
  {
    name: 'a __proto__ key beside failing fields',
    body: withProto({ customer: {}, items: [], matrix: 'x' }),
    errors: [unknown('__proto__'), missing('customer.phone'), invalid('items'), invalid('matrix')],
    except: { 'class-validator': EVERY_DECORATOR },
  },

  // Unicode keys, kept as they came (not normalised) and escaped only in pointers.
  { name: 'a Cyrillic unknown key', body: order({ ключ: 1 }), errors: [unknown('ключ')] },
  {
    name: 'a CJK unknown key in a nested object',
    body: withCustomer({ 名前: 'Ada' }),
    errors: [unknown('customer.名前')],
  },
  {
    name: 'an emoji unknown key in an array item',
    body: withItems({ ...ITEM, '🙂': 1 }),
    errors: [unknown('items.0.🙂')],
  },
  {
    name: 'a composed and a decomposed é as two keys',
    body: order({ '\u00e9': 1, é: 2 }),
    errors: [unknown('\u00e9'), unknown('e\u0301')],
    except: { valibot: FIRST_UNKNOWN_KEY },
  },
  {
    name: 'keys with a slash and a tilde',
    body: order({ 'a/b': 1, customer: { ...CUSTOMER, 'c~d': 1 } }),
    errors: [unknown('a/b'), unknown('customer.c~d')],
  },

  // Bodies that are not objects: the schemas answer at the root.
  {
    name: 'null for the body',
    body: null,
    errors: [invalid('')],
    except: { 'class-validator': STAND_IN },
  },
  {
    name: 'a string for the body',
    body: 'order',
    errors: [invalid('')],
    except: { 'class-validator': STAND_IN },
  },
  {
    name: 'a number for the body',
    body: 42,
    errors: [invalid('')],
    except: { 'class-validator': STAND_IN },
  },
  {
    name: 'true for the body',
    body: true,
    errors: [invalid('')],
    except: { 'class-validator': STAND_IN },
  },
  {
    name: 'an array for the body',
    body: [1, 2],
    errors: [unknown('0'), unknown('1'), missing('customer'), missing('items'), missing('matrix')],
    except: { zod: ZOD_ARRAY_BODY, valibot: FIRST_UNKNOWN_KEY },
  },
  {
    name: 'an empty array for the body',
    body: [],
    errors: [missing('customer'), missing('items'), missing('matrix')],
    except: { zod: ZOD_ARRAY_BODY },
  },
];

const pipes = new Map<number | undefined, ApiValidationPipe>();

/** The pipe as forRoot would build it for these options. */
function pipeFor(maxErrors: number | undefined): ApiValidationPipe {
  let pipe = pipes.get(maxErrors);
  if (pipe === undefined) {
    const options = { whitelist: true, forbidNonWhitelisted: true, transform: true, maxErrors };
    pipe = new ApiValidationPipe(resolveValidationOptions({ validation: options }));
    pipes.set(maxErrors, pipe);
  }
  return pipe;
}

/**
 * The failure of a body, or undefined when it passes. The body goes through JSON first, as a
 * request body does, which also gives every run its own copy (the pipe changes what it is given).
 */
async function failureOf(
  validator: Validator,
  body: unknown,
  maxErrors?: number,
): Promise<ApiException | undefined> {
  const value: unknown = JSON.parse(JSON.stringify(body));
  try {
    await pipeFor(maxErrors).transform(value, METADATA[validator]);
    return undefined;
  } catch (error) {
    if (error instanceof ApiException && error.code === 'validation_error') return error;
    throw error;
  }
}

const responseOptions = resolveErrorResponseOptions({});

/** The body each format sends for a failure. */
function renderAll(exception: ApiException): Record<ErrorFormatName, Record<string, unknown>> {
  const error = normaliseException(exception, responseOptions);
  const context = { requestId: 'req-1', includeRequestId: false, typeBaseUri: undefined };
  const bodies = {} as Record<ErrorFormatName, Record<string, unknown>>;
  for (const format of ERROR_FORMATS) {
    bodies[format] = FORMAT_RENDERERS[format](error, context).body as Record<string, unknown>;
  }
  return bodies;
}

/** The JSON Pointer of a dot path (RFC 6901), written out here rather than taken from the format. */
function pointerOf(path: string): string {
  if (path === '') return '#';
  const tokens = path.split('.').map((token) => token.replace(/~/g, '~0').replace(/\//g, '~1'));
  return `#/${tokens.join('/')}`;
}

/** The summary's tail for `total` errors, as every format words it. */
function moreTail(total: number): string {
  const more = total - 1;
  return more <= 0 ? '' : ` (and ${more} more ${more === 1 ? 'error' : 'errors'})`;
}

/** Whether `message` names `path`: it starts with it, or names it as `property <path>`. */
function namesPath(message: string, path: string): boolean {
  if (path === '') return message.trim() !== '';
  if (message.startsWith(`${path} `) || message.startsWith(`${path}: `)) return true;
  return ` ${message} `.includes(` property ${path} `);
}

/** The parent object's path of a dot path, for grouping unknown keys by the object they are in. */
function parentOf(path: string): string {
  const at = path.lastIndexOf('.');
  return at === -1 ? '' : path.slice(0, at);
}

/** Unknown keys by the object they are in, each list in the order reported. */
function unknownByObject(paths: readonly string[]): Record<string, string[]> {
  const byObject: Record<string, string[]> = {};
  for (const path of paths) (byObject[parentOf(path)] ??= []).push(path);
  return byObject;
}

const distinct = (paths: readonly string[]) => [...new Set(paths)];
const sorted = (paths: readonly string[]) => [...paths].sort();

/** What disagrees with the table, by the scope an exclusion may leave out. */
type Problems = Record<Scope, string[]>;

/**
 * Runs one body through one validator, unbounded and bounded, and lists every way the outcome
 * differs from the table. An empty list in each scope is parity.
 */
async function compare(validator: Validator, parity: ParityCase): Promise<Problems> {
  const problems: Problems = { case: [], counts: [], bounds: [] };
  const failure = await failureOf(validator, parity.body);
  if (parity.errors.length === 0) {
    if (failure !== undefined) problems.case.push('fails a valid body');
    return problems;
  }
  if (failure === undefined) {
    problems.case.push('passes an invalid body');
    return problems;
  }
  const errors: readonly FieldError[] = failure.extras.fieldErrors ?? [];
  const paths = errors.map((error) => error.path);
  const expectedPaths = parity.errors.map((expected) => expected.path);
  const note = (scope: Scope, what: string, actual: unknown, expected: unknown) => {
    if (!isDeepStrictEqual(actual, expected)) {
      problems[scope].push(`${what}: ${JSON.stringify(actual)}, not ${JSON.stringify(expected)}`);
    }
  };

  // Paths: the same set; the same order where the validators keep one.
  note('case', 'paths', sorted(distinct(paths)), sorted(expectedPaths));
  const kindOf = new Map(parity.errors.map((expected) => [expected.path, expected.kind]));
  const unknownPaths = distinct(paths).filter((path) => kindOf.get(path) === 'unknown');
  const fieldPaths = distinct(paths).filter((path) => kindOf.get(path) !== 'unknown');
  const expectedFields = parity.errors.filter((e) => e.kind !== 'unknown').map((e) => e.path);
  // Each object's unknown keys come in the order they came; class-validator reports them before
  // the object's fields and the schemas after, so the two lists are compared apart.
  note(
    'case',
    'unknown keys by object',
    unknownByObject(unknownPaths),
    unknownByObject(parity.errors.filter((e) => e.kind === 'unknown').map((e) => e.path)),
  );
  // arktype visits an object's keys sorted by name (qty before sku): its set was compared above.
  if (validator !== 'arktype') note('case', 'field order', fieldPaths, expectedFields);

  // Messages: missing values and unknown keys word for word; any other names its full path.
  for (const expected of parity.errors) {
    const at = errors.filter((error) => error.path === expected.path);
    const messages = at.map((error) => error.message);
    if (expected.kind === 'missing') {
      note('case', `${expected.path} messages`, messages, [
        `The ${expected.path} field is required.`,
      ]);
      note('case', `${expected.path} constraint`, at[0]?.constraint, 'required');
    } else if (expected.kind === 'unknown') {
      note('case', `${expected.path} messages`, messages, [
        `property ${expected.path} should not exist`,
      ]);
      note('case', `${expected.path} constraint`, at[0]?.constraint, 'whitelistValidation');
    } else {
      for (const error of at) {
        if (!namesPath(error.message, expected.path)) {
          problems.case.push(`${JSON.stringify(error.message)} does not name ${expected.path}`);
        }
        if (!error.constraint || ['required', 'whitelistValidation'].includes(error.constraint)) {
          problems.case.push(`${expected.path} has the constraint ${String(error.constraint)}`);
        }
      }
    }
    note('counts', `${expected.path} message count`, messages.length, expected.count);
  }

  // The four formats: the same keys, pointers and first field; the summary's tail.
  const bodies = renderAll(failure);
  const flat = bodies.flat;
  const laravel = bodies.laravel;
  const problem = bodies.problem;
  const nested = bodies.nested.error as Record<string, unknown>;
  const keysOf = (map: unknown) => sorted(Object.keys(map as object));
  note('case', 'flat status', flat.status, 422);
  note('case', 'flat errors keys', keysOf(flat.errors), sorted(expectedPaths));
  note('case', 'laravel errors keys', keysOf(laravel.errors), sorted(expectedPaths));
  note('case', 'nested errors keys', keysOf(nested.errors), sorted(expectedPaths));
  note('case', 'nested details.field', (nested.details as { field: string }).field, paths[0]);
  const pointers = (problem.errors as { pointer: string }[]).map((entry) => entry.pointer);
  note(
    'case',
    'problem pointers',
    sorted(distinct(pointers)),
    sorted(expectedPaths.map(pointerOf)),
  );
  const summaries = [laravel.message, problem.detail, nested.message];
  const total = parity.errors.reduce((sum, expected) => sum + expected.count, 0);
  for (const summary of summaries) {
    if (typeof summary !== 'string' || !summary.startsWith(errors[0].message)) {
      problems.case.push(`summary ${JSON.stringify(summary)} does not start with the first error`);
    }
  }
  note(
    'counts',
    'summaries',
    summaries,
    summaries.map(() => errors[0].message + moreTail(total)),
  );
  note('case', 'omitted below the default maxErrors', failure.extras.omittedFieldErrors ?? 0, 0);

  // Bounded to SMALL_MAX_ERRORS: the first errors of the unbounded run, the rest counted, and the
  // same summary, since "(and N more errors)" counts the omitted ones too.
  const bounded = await failureOf(validator, parity.body, SMALL_MAX_ERRORS);
  const kept = bounded?.extras.fieldErrors ?? [];
  const omitted = bounded?.extras.omittedFieldErrors ?? 0;
  note('bounds', 'bounded errors', kept, errors.slice(0, SMALL_MAX_ERRORS));
  note('bounds', 'bounded omitted', omitted, errors.length - kept.length);
  if (bounded !== undefined) {
    const boundedBodies = renderAll(bounded);
    const rendered = [
      boundedBodies.flat.omittedErrors,
      boundedBodies.problem.omittedErrors,
      (boundedBodies.nested.error as Record<string, unknown>).omittedErrors,
      boundedBodies.laravel.omittedErrors,
    ];
    note(
      'bounds',
      'omittedErrors in the four formats',
      rendered,
      rendered.map(() => omitted || undefined),
    );
    note('bounds', 'bounded summary', boundedBodies.laravel.message, laravel.message);
  }
  return problems;
}

/** The problems an exclusion does not leave out. */
function unexcused(problems: Problems, exclusion: Exclusion | undefined): string[] {
  if (exclusion === undefined) return [...problems.case, ...problems.counts, ...problems.bounds];
  if (exclusion.scope === 'counts') return [...problems.case, ...problems.bounds];
  return [...problems.case, ...problems.counts];
}

describe('the parity table', () => {
  it('has at least 40 bodies, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((parity) => parity.name)).size).toBe(CASES.length);
  });

  it('runs every validator on most bodies', () => {
    const runs = Object.fromEntries(
      VALIDATORS.map((validator) => [
        validator,
        CASES.filter((parity) => parity.except?.[validator]?.scope !== 'case').length,
      ]),
    );
    expect(runs).toEqual({ 'class-validator': 46, zod: 57, valibot: 53, arktype: 56 });
  });

  it('lists every exclusion with its reason', () => {
    const listed: Record<string, string[]> = {};
    for (const parity of CASES) {
      for (const validator of VALIDATORS) {
        const exclusion = parity.except?.[validator];
        if (exclusion === undefined) continue;
        const key = `[${exclusion.scope}] ${exclusion.reason}`;
        (listed[key] ??= []).push(`${validator}: ${parity.name}`);
      }
    }
    const at = (exclusion: Exclusion) => `[${exclusion.scope}] ${exclusion.reason}`;
    expect(listed).toEqual({
      [at(EVERY_DECORATOR)]: [
        'class-validator: null for a required string',
        'class-validator: null for a nested object',
        'class-validator: null for an array',
        'class-validator: a number for a string',
        'class-validator: a string for a nested object',
        'class-validator: a string for an array of arrays',
        'class-validator: a string for an integer',
        'class-validator: a number for a string in an array item',
        'class-validator: values of the wrong kind everywhere',
        'class-validator: a __proto__ key beside failing fields',
      ],
      [at(ITEM_MESSAGE)]: [
        'class-validator: null for an array item',
        'class-validator: a string for an array item',
      ],
      [at(OPTIONAL_NULL)]: [
        'class-validator: null for an optional string',
        'class-validator: null for an optional nested string',
      ],
      [at(ONE_LEVEL_EACH)]: [
        'class-validator: null in a row of the array of arrays',
        'class-validator: a number for a row of the array of arrays',
        'class-validator: cells of the wrong kind in an array of arrays',
      ],
      [at(ARRAY_AS_OBJECT)]: [
        'valibot: an array for a nested object',
        'arktype: an array for a nested object',
        'valibot: an array in place of an item',
        'arktype: an array in place of an item',
      ],
      [at(OBJECT_AS_ITEM)]: ['class-validator: an object for an array'],
      [at(NESTED_ARRAY)]: ['class-validator: an array in place of an item'],
      [at(ZOD_INT_IS_A_TYPE)]: ['zod: a fraction below the minimum'],
      [at(ARKTYPE_INTERSECTION)]: ['arktype: a fraction below the minimum'],
      [at(UTF16_LENGTH)]: [
        'valibot: characters outside the BMP under a minimum length',
        'arktype: characters outside the BMP under a minimum length',
      ],
      [at(FIRST_UNKNOWN_KEY)]: [
        'valibot: several unknown keys in one object',
        'valibot: a composed and a decomposed é as two keys',
        'valibot: an array for the body',
      ],
      [at(STAND_IN)]: [
        'class-validator: null for the body',
        'class-validator: a string for the body',
        'class-validator: a number for the body',
        'class-validator: true for the body',
      ],
      [at(ZOD_ARRAY_BODY)]: ['zod: an array for the body', 'zod: an empty array for the body'],
    });
  });
});

describe.each(VALIDATORS)('%s against the parity table', (validator) => {
  const cases = CASES.filter((parity) => parity.except?.[validator]?.scope !== 'case');
  it.each(cases.map((parity) => [parity.name, parity] as const))('%s', async (_name, parity) => {
    const problems = await compare(validator, parity);
    expect(unexcused(problems, parity.except?.[validator])).toEqual([]);
  });
});

describe('the exclusions', () => {
  const excluded = CASES.flatMap((parity) =>
    VALIDATORS.flatMap((validator) => {
      const exclusion = parity.except?.[validator];
      return exclusion === undefined ? [] : [[validator, parity.name, parity, exclusion] as const];
    }),
  );
  it.each(excluded)(
    'are all needed: %s differs on %s',
    async (validator, _name, parity, exclusion) => {
      const problems = await compare(validator, parity);
      expect(problems[exclusion.scope]).not.toEqual([]);
    },
  );
});
