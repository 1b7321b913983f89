import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata, Type as ClassType } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { CreateBookingDto } from '../../sample-app/src/bookings/create-booking.dto.js';
import { ListLocationsQuery } from '../../sample-app/src/locations/list-locations.query.js';
import { ApiValidationPipe } from './api-validation.pipe.js';
import {
  ConditionalDto,
  CustomConstraintDto,
  DerivedDto,
  KitchenSinkDto,
  LateAsyncDto,
  SearchQuery,
  Tier,
} from './compiled-validation.fixtures.js';
import { resolveValidationOptions, type ApiValidationOptions } from './validation.options.js';

/**
 * Differential test of the compiled path: every body goes through two ApiValidationPipes that
 * differ only in `compile`, one running the compiled plan, the other Nest's ValidationPipe with
 * class-transformer and class-validator. Both must answer alike: the same raw class-validator
 * errors (paths, constraints, messages, values, children, contexts, key order), or the same
 * transformed value (classes included), and leave the input in the same state.
 */

/** Thrown by the pipes under test in place of the exception: the raw errors. */
class RawErrors {
  constructor(readonly errors: ValidationError[]) {}
}

class RawErrorsPipe extends ApiValidationPipe {
  override createExceptionFactory() {
    return (errors: ValidationError[] = []) => new RawErrors(errors);
  }
}

function pipes(options: ApiValidationOptions): [RawErrorsPipe, RawErrorsPipe] {
  const make = (compile: boolean) =>
    new RawErrorsPipe(resolveValidationOptions({ validation: { ...options, compile } }));
  return [make(true), make(false)];
}

type Outcome =
  | { kind: 'value'; value: unknown }
  | { kind: 'errors'; errors: unknown }
  | { kind: 'threw'; error: string };

/**
 * What the pipe answered. Some bodies make class-transformer or a class-validator check throw
 * (`Number()` of an object whose `toString` is not a function); the compiled path must throw
 * the same.
 */
async function outcome(pipe: ApiValidationPipe, value: unknown, metadata: ArgumentMetadata) {
  try {
    return { kind: 'value', value: await pipe.transform(value, metadata) } as Outcome;
  } catch (error) {
    if (error instanceof RawErrors) return { kind: 'errors', errors: error.errors } as Outcome;
    return { kind: 'threw', error: String(error) } as Outcome;
  }
}

/** Same content, same prototypes, same key order. */
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------------------------
// Bodies: valid ones from a shape, then mutated: values replaced by any JSON value, keys
// dropped, keys added (unknown names, names of other fields, and the names class-transformer
// and class-validator treat specially). Each body is built as JSON text and parsed once per
// pipe, so that `__proto__` can be an own key as it is in a parsed request body.
// ---------------------------------------------------------------------------------------------

type Shape =
  | { readonly object: Readonly<Record<string, Shape>> }
  | { readonly array: Shape }
  | { readonly leaf: fc.Arbitrary<unknown> };

const TRICKY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '0',
  '',
  'then',
  'extra',
];

const ODD_VALUES = fc.constantFrom<unknown>(
  null,
  '',
  ' ',
  0,
  -1,
  1.5,
  1e21,
  true,
  false,
  [],
  {},
  '12',
  'NaN',
  'true',
  '2026-02-30T10:00:00Z',
  [null],
  [[]],
  [{}],
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: ODD_VALUES },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A JSON text for a shape, valid or mutated. */
function text(shape: Shape, depth = 0): fc.Arbitrary<string> {
  const mutated = anyJson.map((value) => JSON.stringify(value) ?? 'null');
  let valid: fc.Arbitrary<string>;
  if ('leaf' in shape) {
    valid = shape.leaf.map((value) => JSON.stringify(value) ?? 'null');
  } else if ('array' in shape) {
    valid = fc
      .array(text(shape.array, depth + 1), { maxLength: depth > 2 ? 1 : 3 })
      .map((items) => `[${items.join(',')}]`);
  } else {
    const names = Object.keys(shape.object);
    const fields = fc.tuple(
      ...names.map((name) =>
        fc.option(text(shape.object[name], depth + 1), { freq: 8, nil: undefined }),
      ),
    );
    const extras = fc.array(fc.tuple(fc.constantFrom(...TRICKY_KEYS, ...names), anyJson), {
      maxLength: 2,
    });
    valid = fc.tuple(fields, extras).map(([values, added]) => {
      const members = names.flatMap((name, index) =>
        values[index] === undefined ? [] : [`${JSON.stringify(name)}:${values[index]}`],
      );
      for (const [key, value] of added) {
        members.push(`${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`);
      }
      return `{${members.join(',')}}`;
    });
  }
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: mutated });
}

const str = (min = 1, max = 12) => fc.string({ minLength: min, maxLength: max });
const leaf = (arbitrary: fc.Arbitrary<unknown>): Shape => ({ leaf: arbitrary });
const dateTime = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString());

const ADDRESS: Shape = {
  object: {
    street: leaf(str(1, 14)),
    zip: leaf(fc.oneof(fc.stringMatching(/^\d{5}$/), fc.string({ maxLength: 6 }))),
    country: leaf(fc.constantFrom('FR', 'DE', 'US', 'fr', 'XX')),
  },
};

const SHAPES: readonly { name: string; metadata: ArgumentMetadata; shape: Shape }[] = [
  {
    name: 'CreateBookingDto (sample app)',
    metadata: { type: 'body', metatype: CreateBookingDto },
    shape: {
      object: {
        serviceId: leaf(str(0, 8)),
        startsAt: leaf(fc.oneof(dateTime, str())),
        endsAt: leaf(dateTime),
        customer: {
          object: {
            name: leaf(str(0, 8)),
            phone: leaf(fc.oneof(fc.stringMatching(/^\+\d{8,15}$/), str())),
            email: leaf(fc.oneof(fc.emailAddress(), str())),
          },
        },
        items: {
          array: {
            object: { sku: leaf(str(0, 6)), qty: leaf(fc.integer({ min: -2, max: 5 })) },
          },
        },
        notes: leaf(fc.string({ maxLength: 600 })),
      },
    },
  },
  {
    name: 'ListLocationsQuery (sample app)',
    metadata: { type: 'query', metatype: ListLocationsQuery },
    shape: {
      object: {
        limit: leaf(fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), str(0, 4))),
      },
    },
  },
  {
    name: 'KitchenSinkDto',
    metadata: { type: 'body', metatype: KitchenSinkDto },
    shape: {
      object: {
        name: leaf(str(0, 12)),
        count: leaf(fc.oneof(fc.integer({ min: -2, max: 12 }), fc.double())),
        ratio: leaf(fc.oneof(fc.double({ noNaN: true }), fc.constant(1.25))),
        active: leaf(fc.boolean()),
        label: leaf(str(0, 4)),
        email: leaf(fc.oneof(fc.emailAddress(), str())),
        at: leaf(fc.oneof(dateTime, str())),
        day: leaf(
          fc.oneof(
            dateTime.map((d) => d.slice(0, 10)),
            str(),
          ),
        ),
        id: leaf(fc.oneof(fc.uuid({ version: 4 }), fc.uuid(), str())),
        tier: leaf(fc.constantFrom(...Object.values(Tier), 'gold')),
        tags: { array: leaf(str(0, 7)) },
        meta: leaf(fc.oneof(fc.object({ maxDepth: 1 }), fc.constant([]))),
        address: ADDRESS,
        lines: {
          array: {
            object: {
              qty: leaf(fc.integer({ min: 0, max: 10 })),
              parts: {
                array: {
                  object: {
                    sku: leaf(str(0, 4)),
                    sizes: { array: leaf(fc.oneof(fc.integer(), fc.double())) },
                  },
                },
              },
            },
          },
        },
        free: leaf(fc.jsonValue({ maxDepth: 1 })),
      },
    },
  },
  {
    name: 'SearchQuery',
    metadata: { type: 'query', metatype: SearchQuery },
    shape: {
      object: {
        page: leaf(fc.oneof(fc.integer({ min: -1, max: 120 }).map(String), str(0, 3))),
        exact: leaf(fc.constantFrom('true', 'false', '1', '0', '', 'yes')),
        sort: leaf(fc.constantFrom('asc', 'desc', 'up')),
        ids: { array: leaf(fc.oneof(fc.integer().map(String), str(0, 3))) },
        q: leaf(fc.string({ maxLength: 24 })),
      },
    },
  },
  {
    name: 'DerivedDto (inheritance, contexts)',
    metadata: { type: 'body', metatype: DerivedDto },
    shape: {
      object: {
        code: leaf(str(0, 5)),
        amount: leaf(fc.integer({ min: -1, max: 3 })),
        address: ADDRESS,
      },
    },
  },
];

/** The sample app's options first, then others that change the walk. */
const OPTION_SETS: readonly { name: string; options: ApiValidationOptions; runs: number }[] = [
  {
    name: 'whitelist + forbidNonWhitelisted + transform',
    options: { whitelist: true, forbidNonWhitelisted: true, transform: true },
    runs: 10_000,
  },
  { name: 'defaults', options: {}, runs: 2_000 },
  {
    name: 'whitelist (strip), stopAtFirstError, skipMissingProperties',
    options: {
      whitelist: true,
      transform: true,
      stopAtFirstError: true,
      skipMissingProperties: true,
    },
    runs: 2_000,
  },
  {
    name: 'forbidUnknownValues, implicit conversion, no error values',
    options: {
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: true, exposeUnsetFields: false },
      validationError: { value: false },
      dismissDefaultMessages: true,
    },
    runs: 2_000,
  },
];

describe('compiled validation, against class-validator and class-transformer', () => {
  describe.each(OPTION_SETS)('options: $name', ({ options, runs }) => {
    const [compiled, reference] = pipes(options);

    it.each(SHAPES)('$name: every body gives the same answer', async ({ metadata, shape }) => {
      expect(compiled.compiledRefusal(metadata.metatype as ClassType<unknown>)).toBeUndefined();
      await fc.assert(
        fc.asyncProperty(text(shape), async (json) => {
          const inputs = [JSON.parse(json) as unknown, JSON.parse(json) as unknown];
          const [a, b] = [
            await outcome(compiled, inputs[0], metadata),
            await outcome(reference, inputs[1], metadata),
          ];
          if (!same(a, b) || !same(inputs[0], inputs[1])) {
            throw new Error(
              `compiled: ${JSON.stringify(a)}\nclass-validator: ${JSON.stringify(b)}`,
            );
          }
        }),
        { numRuns: runs, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
      );
    });
  });

  it('gives the same answer for values that are not objects', async () => {
    const [compiled, reference] = pipes({ whitelist: true, forbidNonWhitelisted: true });
    for (const value of [undefined, null, 'text', 7, true, [], [{ sku: 'a' }], Buffer.from('x')]) {
      for (const metatype of [CreateBookingDto, KitchenSinkDto, ListLocationsQuery]) {
        const metadata: ArgumentMetadata = { type: 'body', metatype };
        const a = await outcome(compiled, structuredClone(value), metadata);
        const b = await outcome(reference, structuredClone(value), metadata);
        expect(same(a, b)).toBe(true);
      }
    }
  });
});

describe('classes left to class-validator', () => {
  const [compiled, reference] = pipes({ whitelist: true, forbidNonWhitelisted: true });

  it.each([
    [CustomConstraintDto, 'constraint class EvenNumber on CustomConstraintDto.pairs'],
    [ConditionalDto, '@ValidateIf on ConditionalDto.phone'],
  ])('%p is reported with the reason and still validated', async (metatype, reason) => {
    expect(compiled.compiledRefusal(metatype)).toBe(reason);
    const metadata: ArgumentMetadata = { type: 'body', metatype };
    for (const body of [{ pairs: 3 }, { pairs: 4 }, { kind: 'phone', phone: 5 }, { kind: 'x' }]) {
      const a = await outcome(compiled, { ...body }, metadata);
      const b = await outcome(reference, { ...body }, metadata);
      expect(same(a, b)).toBe(true);
    }
    const failed = await outcome(
      compiled,
      { pairs: 3 },
      { type: 'body', metatype: CustomConstraintDto },
    );
    expect(failed).toMatchObject({
      errors: [{ constraints: { evenNumber: 'pairs must be even' } }],
    });
  });

  it('leaves a class to class-validator once a check of it returns a promise', async () => {
    expect(compiled.compiledRefusal(LateAsyncDto)).toBeUndefined();
    const metadata: ArgumentMetadata = { type: 'body', metatype: LateAsyncDto };
    for (const body of [{ code: 'no' }, { code: 'ok' }, { code: 'no' }]) {
      const a = await outcome(compiled, { ...body }, metadata);
      const b = await outcome(reference, { ...body }, metadata);
      expect(same(a, b)).toBe(true);
    }
    expect(await outcome(compiled, { code: 'no' }, metadata)).toMatchObject({
      errors: [{ constraints: { knownCode: 'code is not a known code' } }],
    });
    expect(compiled.compiledRefusal(LateAsyncDto)).toBe(
      'a constraint whose validate returned a promise',
    );
  });

  it('says why nothing is compiled with compile: false', () => {
    expect(reference.compiledRefusal(KitchenSinkDto)).toBe('validation.compile is false');
  });

  it('compiles nothing for a pipe that replaces how class-validator is called', async () => {
    class OwnValidate extends RawErrorsPipe {
      protected override validate(object: object, options?: ValidatorOptions) {
        this.calls += 1;
        return super.validate(object, options);
      }
      calls = 0;
    }
    const pipe = new OwnValidate(resolveValidationOptions({ validation: {} }));
    expect(pipe.compiledRefusal(KitchenSinkDto)).toBe(
      'OwnValidate overrides validate(), loadValidator() or loadTransformer()',
    );
    await outcome(pipe, { name: 'x' }, { type: 'body', metatype: KitchenSinkDto });
    expect(pipe.calls).toBe(1);
  });
});
