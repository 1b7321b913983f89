// The decorators below read design types: load the polyfill whoever imports this file first.
import 'reflect-metadata';
import { type } from 'arktype';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import * as v from 'valibot';
import { z } from 'zod';

/**
 * One order DTO written four ways, for the parity table (schema-parity.spec.ts): a nested object
 * with a string of a minimum length and an optional string, a non-empty array of objects with
 * an integer of a minimum, an array of arrays of integers and an optional top-level string.
 * Unknown keys are rejected at every level (class-validator's `forbidNonWhitelisted`, zod's
 * `strictObject`, valibot's `strictObject`, arktype's `"+": "reject"`). The schemas keep their
 * validators' own messages: the library, not the schema, puts the path in front.
 */

/** The order's customer: a phone of at least 8 characters and an optional name. */
export class CustomerDto {
  @IsString()
  @MinLength(8)
  phone!: string;

  @IsOptional()
  @IsString()
  name?: string;
}

/** One line of the order: a non-empty SKU and a quantity of at least 1. */
export class ItemDto {
  @IsString()
  @MinLength(1)
  sku!: string;

  @IsInt()
  @Min(1)
  qty!: number;
}

/** The order as class-validator sees it, with the pipe's `forbidNonWhitelisted`. */
export class OrderDto {
  // ValidateNested alone skips a missing value and walks an array as a list of customers.
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];

  // class-validator's `each` reaches one level down: every row is checked whole, at `matrix`.
  @IsArray()
  @ValidateBy(
    {
      name: 'isIntegerArray',
      validator: {
        validate: (row: unknown) => Array.isArray(row) && row.every(Number.isInteger),
        defaultMessage: () => '$property must be an array of integer arrays',
      },
    },
    { each: true },
  )
  matrix!: number[][];

  @IsOptional()
  @IsString()
  note?: string;
}

/** {@link OrderDto} as a zod 4 schema. */
export const zodOrder = z.strictObject({
  customer: z.strictObject({ phone: z.string().min(8), name: z.string().optional() }),
  items: z.array(z.strictObject({ sku: z.string().min(1), qty: z.number().int().min(1) })).min(1),
  matrix: z.array(z.array(z.number().int())),
  note: z.string().optional(),
});

/** {@link OrderDto} as a valibot 1 schema. */
export const valibotOrder = v.strictObject({
  customer: v.strictObject({
    phone: v.pipe(v.string(), v.minLength(8)),
    name: v.optional(v.string()),
  }),
  items: v.pipe(
    v.array(
      v.strictObject({
        sku: v.pipe(v.string(), v.minLength(1)),
        qty: v.pipe(v.number(), v.integer(), v.minValue(1)),
      }),
    ),
    v.minLength(1),
  ),
  matrix: v.array(v.array(v.pipe(v.number(), v.integer()))),
  note: v.optional(v.string()),
});

/** {@link OrderDto} as an arktype 2 type. */
export const arktypeOrder = type({
  '+': 'reject',
  customer: { '+': 'reject', phone: 'string >= 8', 'name?': 'string' },
  items: type({ '+': 'reject', sku: 'string >= 1', qty: 'number.integer >= 1' })
    .array()
    .atLeastLength(1),
  matrix: 'number.integer[][]',
  'note?': 'string',
});
