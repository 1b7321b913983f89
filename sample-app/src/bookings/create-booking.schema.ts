import { z } from 'zod';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO-8601 date-time with a time zone that is a real instant, as `@IsDateTime()` checks it.
 * Messages are written as class-validator's (`<property> must …`): the library puts the full
 * path in front, so both routes answer alike.
 */
const dateTime = (property: string) =>
  z
    .string({ error: `${property} must be an ISO-8601 date-time` })
    .refine((value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)), {
      error: `${property} must be an ISO-8601 date-time`,
    });

const requiredString = (property: string) =>
  z
    .string({ error: `${property} must be a string` })
    .min(1, { error: `${property} should not be empty` });

const customer = z.strictObject(
  {
    name: requiredString('name'),
    phone: z
      .string({ error: 'phone must be a string' })
      .regex(/^\+\d{8,15}$/, { error: 'phone must be an E.164 phone number' }),
    email: z.email({ error: 'email must be an email' }).optional(),
  },
  { error: 'nested property customer must be either object or array' },
);

const item = z.strictObject(
  {
    sku: requiredString('sku'),
    qty: z
      .number({ error: 'qty must be an integer number' })
      .int({ error: 'qty must be an integer number' })
      .min(1, { error: 'qty must not be less than 1' }),
  },
  { error: 'nested property items must be either object or array' },
);

/**
 * `CreateBookingDto` as a zod 4 schema, for `POST /v1/bookings/zod`: the same fields, rules and
 * messages, unknown keys rejected as `forbidNonWhitelisted` rejects them.
 */
export const createBookingSchema = z.strictObject({
  serviceId: requiredString('serviceId'),
  startsAt: dateTime('startsAt'),
  endsAt: dateTime('endsAt'),
  customer,
  items: z
    .array(item, { error: 'items must be an array' })
    .min(1, { error: 'items should not be empty' }),
  notes: z
    .string({ error: 'notes must be a string' })
    .max(500, { error: 'notes must be shorter than or equal to 500 characters' })
    .optional(),
});

export type CreateBooking = z.output<typeof createBookingSchema>;
