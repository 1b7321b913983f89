import { describe, expect, it } from '@jest/globals';
import {
  flattenStandardIssues,
  UNKNOWN_KEY_CONSTRAINT,
  type StandardIssueLike,
} from './standard-schema-issues.js';

/** The `[path, message, constraint]` of each field error, for short expectations. */
function flat(issues: StandardIssueLike[], input: unknown = {}, limit?: number) {
  return flattenStandardIssues(issues, input, limit).fieldErrors.map((error) => [
    error.path,
    error.message,
    error.constraint,
  ]);
}

/**
 * A path like arktype's `ReadonlyPath`: an Array subclass whose constructor takes its items, so
 * that `new Path(0)` is `[0]`, not an empty array of length 0.
 */
class ItemsPath extends Array<PropertyKey> {
  constructor(...items: PropertyKey[]) {
    super();
    this.push(...items);
  }
}

describe('flattenStandardIssues: paths', () => {
  it('joins plain, numeric and { key } segments with dots', () => {
    const input = { items: [{ sku: 5 }], matrix: [[1], [1, 'x']] };
    expect(
      flat(
        [
          { message: 'bad sku', code: 'invalid_type', path: [{ key: 'items' }, { key: 0 }, 'sku'] },
          { message: 'bad cell', code: 'invalid_type', path: ['matrix', 1, 1] },
        ],
        input,
      ).map(([path]) => path),
    ).toEqual(['items.0.sku', 'matrix.1.1']);
  });

  it('names a symbol segment by its description, and finds its value by the symbol', () => {
    const tag = Symbol('tag');
    const other = Symbol('other');
    expect(
      flat(
        [
          { message: 'tag must be a string', code: 'invalid_type', path: ['meta', tag] },
          { message: 'other must be a string', code: 'invalid_type', path: ['meta', other] },
        ],
        // A string key named like the symbol does not make the symbol's value present.
        { meta: { [tag]: 1, other: 'x' } },
      ),
    ).toEqual([
      ['meta.tag', 'meta.tag must be a string', 'invalid_type'],
      ['meta.other', 'The meta.other field is required.', 'required'],
    ]);
  });

  it("reads a path built by an Array subclass whose constructor takes items (arktype's)", () => {
    const issues: StandardIssueLike[] = [
      { message: 'must be an object (was null)', code: 'domain', path: new ItemsPath() },
      { message: 'a must be a string (was 5)', code: 'domain', path: new ItemsPath('a') },
      {
        message: 'm[1][0] must be an integer (was 1.5)',
        code: 'divisor',
        propString: 'm[1][0]',
        path: new ItemsPath('m', 1, 0),
      },
    ];
    expect(flat(issues, { a: 5, m: [[1], [1.5]] })).toEqual([
      ['', 'must be an object (was null)', 'domain'],
      ['a', 'a must be a string (was 5)', 'domain'],
      ['m.1.0', 'm.1.0 must be an integer (was 1.5)', 'divisor'],
    ]);
  });

  it('keys an issue without a path, or with an empty one, at the root with its message as is', () => {
    expect(
      flat(
        [
          { message: 'Invalid input: expected object, received null', code: 'invalid_type' },
          { message: 'Invalid type: Expected Object', type: 'strict_object', path: [] },
        ],
        null,
      ),
    ).toEqual([
      ['', 'Invalid input: expected object, received null', 'invalid_type'],
      ['', 'Invalid type: Expected Object', 'strict_object'],
    ]);
  });
});

describe('flattenStandardIssues: unknown keys', () => {
  it("expands zod's unrecognized_keys into one error per key, at each key's path", () => {
    const issue = { message: 'Unrecognized keys: "vip", "note"', code: 'unrecognized_keys' };
    expect(
      flat([
        { ...issue, keys: ['vip', 'note'], path: ['customer'] },
        { ...issue, keys: ['x', 'ключ'], path: [] },
        { ...issue, keys: ['colour'], path: ['items', 2] },
      ]),
    ).toEqual([
      // An object's unknown properties lead its errors, as class-validator's do.
      ['x', 'property x should not exist', UNKNOWN_KEY_CONSTRAINT],
      ['ключ', 'property ключ should not exist', UNKNOWN_KEY_CONSTRAINT],
      ['customer.vip', 'property customer.vip should not exist', UNKNOWN_KEY_CONSTRAINT],
      ['customer.note', 'property customer.note should not exist', UNKNOWN_KEY_CONSTRAINT],
      ['items.2.colour', 'property items.2.colour should not exist', UNKNOWN_KEY_CONSTRAINT],
    ]);
  });

  it("puts an object's unknown properties before its other errors, as class-validator does", () => {
    const unknownKeys = (path: (string | number)[], keys: string[]) => ({
      message: 'Unrecognized keys',
      code: 'unrecognized_keys',
      keys,
      path,
    });
    const invalid = (path: (string | number)[]) => ({ message: 'Invalid input', path });
    // zod's order: depth first, each object's unknown keys after its other issues.
    const paths = flat(
      [
        invalid(['serviceId']),
        invalid(['customer', 'name']),
        unknownKeys(['customer'], ['vip']),
        invalid(['items', 0, 'qty']),
        unknownKeys(['items', 0], ['colour', 'size']),
        invalid(['items', 1, 'qty']),
        unknownKeys(['items', 1], ['colour']),
        unknownKeys([], ['extra']),
      ],
      { serviceId: 1, customer: { name: 1 }, items: [{ qty: 'x' }, { qty: 'y' }] },
    ).map(([path]) => path);
    expect(paths).toEqual([
      'extra',
      'serviceId',
      'customer.vip',
      'customer.name',
      'items.0.colour',
      'items.0.size',
      'items.0.qty',
      'items.1.colour',
      'items.1.qty',
    ]);
  });

  it("reads valibot's strict_object key issue and arktype's 'must be removed' as unknown keys", () => {
    expect(
      flat([
        {
          message: 'Invalid key: Expected never but received "vip"',
          kind: 'schema',
          type: 'strict_object',
          expected: 'never',
          path: [{ key: 'customer' }, { key: 'vip' }],
        },
        {
          message: 'value at ["0"] must be removed',
          code: 'predicate',
          expected: 'removed',
          propString: '["0"]',
          path: ['0'],
        },
      ]),
    ).toEqual([
      ['0', 'property 0 should not exist', UNKNOWN_KEY_CONSTRAINT],
      ['customer.vip', 'property customer.vip should not exist', UNKNOWN_KEY_CONSTRAINT],
    ]);
  });

  it('keeps the type issues of the same validators as ordinary issues', () => {
    const input = { customer: 'x', n: 1 };
    expect(
      flat(
        [
          {
            message: 'Invalid type: Expected Object but received "x"',
            type: 'strict_object',
            expected: 'Object',
            path: [{ key: 'customer' }],
          },
          { message: 'n must be even (was 1)', code: 'predicate', expected: 'even', path: ['n'] },
          { message: 'Unrecognized keys', code: 'unrecognized_keys', path: ['n'] },
        ],
        input,
      ),
    ).toEqual([
      ['customer', 'customer: Invalid type: Expected Object but received "x"', 'strict_object'],
      ['n', 'n must be even (was 1)', 'predicate'],
      ['n', 'n: Unrecognized keys', 'unrecognized_keys'],
    ]);
  });
});

describe('flattenStandardIssues: missing values', () => {
  it('gives a missing value the one "is required" message, whatever the validator said', () => {
    expect(
      flat(
        [{ message: 'Invalid input: expected string', code: 'invalid_type', path: ['a', 'b'] }],
        {
          a: {},
        },
      ),
    ).toEqual([['a.b', 'The a.b field is required.', 'required']]);
  });

  it('reports a missing path once, however many issues name it', () => {
    const issues: StandardIssueLike[] = [
      { message: 'Invalid type', type: 'string', path: ['customer', 'phone'] },
      { message: 'Too short', type: 'min_length', path: ['customer', 'phone'] },
      { message: 'Invalid type', type: 'number', path: ['qty'] },
      { message: 'Required', code: 'custom', path: ['customer', 'phone'] },
    ];
    expect(flat(issues, { customer: {} })).toEqual([
      ['customer.phone', 'The customer.phone field is required.', 'required'],
      ['qty', 'The qty field is required.', 'required'],
    ]);
  });

  it('treats null and values of the wrong kind as present, and inherited keys as missing', () => {
    const inherited = Object.create({ phone: '+31612345678' }) as object;
    expect(
      flat(
        [
          { message: 'expected string, received null', code: 'invalid_type', path: ['note'] },
          { message: 'expected string', code: 'invalid_type', path: ['customer', 'phone'] },
          { message: 'expected object', code: 'invalid_type', path: ['items', 0] },
        ],
        { note: null, customer: inherited, items: [] },
      ),
    ).toEqual([
      ['note', 'note: expected string, received null', 'invalid_type'],
      ['customer.phone', 'The customer.phone field is required.', 'required'],
      ['items.0', 'The items.0 field is required.', 'required'],
    ]);
  });

  it('reads a value under a primitive or a missing parent as missing', () => {
    expect(
      flat([{ message: 'x', code: 'invalid_type', path: ['customer', 'phone'] }], {
        customer: 'Ada',
      }),
    ).toEqual([['customer.phone', 'The customer.phone field is required.', 'required']]);
  });
});

describe('flattenStandardIssues: messages', () => {
  const at = (message: string, path: PropertyKey[], extra: Partial<StandardIssueLike> = {}) =>
    flat([{ message, code: 'custom', path, ...extra }], {
      a: { phone: 1, items: [{ sku: 5 }] },
    })[0][1];

  it("starts a message that starts with the property's name with the full path instead", () => {
    expect(at('phone must be a string', ['a', 'phone'])).toBe('a.phone must be a string');
  });

  it('keeps a message that already starts with the full path', () => {
    expect(at('a.phone must be a string', ['a', 'phone'])).toBe('a.phone must be a string');
  });

  it("rewrites arktype's own rendering of the path into the dot path", () => {
    expect(
      at('a.items[0].sku must be a string (was number)', ['a', 'items', 0, 'sku'], {
        propString: 'a.items[0].sku',
      }),
    ).toBe('a.items.0.sku must be a string (was number)');
  });

  it('keeps a message that names the full path as `property <path>`', () => {
    expect(at('nested property a.phone must be either object or array', ['a', 'phone'])).toBe(
      'nested property a.phone must be either object or array',
    );
  });

  it('puts `<path>: ` in front of any other message', () => {
    expect(at('Too small: expected array to have >=1 items', ['a', 'items'])).toBe(
      'a.items: Too small: expected array to have >=1 items',
    );
    // A name that merely starts the same way, or a path named without `property`, is no prefix.
    expect(at('phoneNumber is bad', ['a', 'phone'])).toBe('a.phone: phoneNumber is bad');
    expect(at('property a.phoneNumber is bad', ['a', 'phone'])).toBe(
      'a.phone: property a.phoneNumber is bad',
    );
    expect(at('Expected a.phone to be a string', ['a', 'phone'])).toBe(
      'a.phone: Expected a.phone to be a string',
    );
  });
});

describe('flattenStandardIssues: constraints and limits', () => {
  it("takes zod's and arktype's code, valibot's type, else the kind, else 'invalid'", () => {
    const input = { a: 1 };
    expect(
      flat(
        [
          { message: 'm', code: 'too_small', type: 'x', path: ['a'] },
          { message: 'm', type: 'min_length', kind: 'validation', path: ['a'] },
          { message: 'm', code: 42, kind: 'schema', path: ['a'] },
          { message: 'm', code: '', path: ['a'] },
        ],
        input,
      ).map(([, , constraint]) => constraint),
    ).toEqual(['too_small', 'min_length', 'schema', 'invalid']);
  });

  it('keeps at most `limit` errors and counts the rest, each unknown key on its own', () => {
    const issues: StandardIssueLike[] = [
      { message: 'Unrecognized keys', code: 'unrecognized_keys', keys: ['x', 'y', 'z'], path: [] },
      { message: 'bad', code: 'custom', path: ['a'] },
      { message: 'bad', code: 'custom', path: ['b'] },
    ];
    const result = flattenStandardIssues(issues, { a: 1, b: 2, x: 0, y: 0, z: 0 }, 2);
    expect(result.fieldErrors.map((error) => error.path)).toEqual(['x', 'y']);
    expect(result.omitted).toBe(3);
  });

  it('does not count a missing path reported again past the limit', () => {
    const issues: StandardIssueLike[] = [
      { message: 'bad', code: 'custom', path: ['a'] },
      { message: 'Invalid type', type: 'string', path: ['phone'] },
      { message: 'Too short', type: 'min_length', path: ['phone'] },
      { message: 'bad', code: 'custom', path: ['b'] },
    ];
    const result = flattenStandardIssues(issues, { a: 1, b: 2 }, 1);
    expect(result.fieldErrors.map((error) => error.path)).toEqual(['a']);
    expect(result.omitted).toBe(2);
  });

  it('answers no issues with no errors', () => {
    expect(flattenStandardIssues([], {})).toEqual({ fieldErrors: [], omitted: 0 });
  });
});
