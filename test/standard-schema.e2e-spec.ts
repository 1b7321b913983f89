import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { type } from 'arktype';
import { ApiErrorsModule, StandardSchemaPipe } from 'nest-api-errors';
import * as v from 'valibot';
import { z } from 'zod';
import {
  MATRIX,
  PLATFORMS,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { VALID_BOOKING } from './support/bookings.js';
import { DEMO_KEYS } from './support/keys.js';
import { startTestApp } from './support/test-app.js';

/** A valid booking on a slot of its own. */
let slot = 0;
function valid(): Record<string, unknown> {
  slot += 1;
  return { ...structuredClone(VALID_BOOKING), serviceId: `svc_schema_${slot}_${process.pid}` };
}

const withCustomer = (customer: Record<string, unknown>) => ({ ...valid(), customer });

/**
 * Invalid bodies both routes must answer byte for byte alike. Left out, because class-validator
 * reports every failing constraint of a value of the wrong kind where a schema stops at the
 * kind (`serviceId: null` gives "must be a string" and "should not be empty"), and reads a
 * body that is not an object as an empty one where a schema rejects it whole: see the last
 * tests below.
 */
const INVALID: [string, unknown][] = [
  ['a missing nested value', withCustomer({ name: 'Ada' })],
  ['an empty string', { ...valid(), serviceId: '' }],
  ['a date that is no date', { ...valid(), startsAt: 'yesterday' }],
  ['a date-time without a zone', { ...valid(), endsAt: '2026-05-01T10:00:00' }],
  ['an integer below its minimum', { ...valid(), items: [{ sku: 'A', qty: 0 }] }],
  ['a fraction for an integer', { ...valid(), items: [{ sku: 'A', qty: 1.5 }] }],
  ['an empty array', { ...valid(), items: [] }],
  ['a string over its maximum', { ...valid(), notes: 'x'.repeat(501) }],
  ['an unknown key', { ...valid(), extra: 1 }],
  ['an unknown nested key', withCustomer({ name: 'Ada', phone: '+31612345678', vip: true })],
  ['a pattern not met', withCustomer({ name: 'Ada', phone: '12345' })],
  ['an invalid email', withCustomer({ name: 'Ada', phone: '+31612345678', email: 'ada' })],
  ['a string for a nested object', { ...valid(), customer: 'Ada' }],
  ['several missing and failing fields', { items: [{ sku: '', qty: 0 }], customer: {} }],
  [
    'errors in several array items',
    {
      ...valid(),
      items: [
        { sku: '', qty: 1 },
        { sku: 'B', qty: 0 },
        { sku: 'C', qty: 2.5 },
      ],
    },
  ],
  ['a __proto__ key', JSON.parse('{"__proto__":{"admin":true},"serviceId":"svc"}')],
  [
    'unknown keys beside failing fields, at every level',
    {
      ...valid(),
      serviceId: '',
      customer: { name: '', phone: '+31612345678', vip: true },
      items: [{ sku: 'A', qty: 0, colour: 'red' }],
      extra: 1,
    },
  ],
  ['an end before the start (the handler)', { ...valid(), endsAt: '2026-05-01T08:00:00Z' }],
];

/** The reply with its request id taken out: the one thing two requests never share. */
function comparable(reply: Reply) {
  const id = reply.headers.get('x-request-id') ?? '';
  return {
    status: reply.status,
    contentType: reply.headers.get('content-type'),
    body: reply.text.split(id).join('<request id>'),
  };
}

describe.each(MATRIX)('POST /v1/bookings and its zod twin on %s, %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
  });
  afterAll(() => running.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${running.url}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO_KEYS.authority, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it.each(INVALID)('answers %s byte for byte alike', async (_label, body) => {
    const classValidator = await post('/v1/bookings', body);
    const zod = await post('/v1/bookings/zod', body);
    expect(classValidator.status).toBe(422);
    expect(comparable(zod)).toEqual(comparable(classValidator));
  });

  it('creates the same booking, and answers the same slot twice with the same 409', async () => {
    const body = valid();
    const created = await post('/v1/bookings/zod', body);
    expect(created.status).toBe(201);
    const { booking } = created.json as { booking: Record<string, unknown> };
    expect(booking).toEqual({
      ...body,
      id: expect.stringMatching(/^book_/),
      organizationId: 'org_a',
      createdAt: expect.any(String),
    });
    const again = await post('/v1/bookings/zod', body);
    const againOnTheOther = await post('/v1/bookings', body);
    expect(again.status).toBe(409);
    expect(comparable(again)).toEqual(comparable(againOnTheOther));
  });

  it('needs the same scope and replays an Idempotency-Key the same way', async () => {
    const readOnly = await request(`${running.url}/v1/bookings/zod`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO_KEYS.local, 'content-type': 'application/json' },
      body: JSON.stringify(valid()),
    });
    expect(readOnly.status).toBe(403);
    const body = valid();
    const key = `schema-${platform}-${format}-${slot}`;
    const first = await post('/v1/bookings/zod', body, { 'idempotency-key': key });
    const replay = await post('/v1/bookings/zod', body, { 'idempotency-key': key });
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);
  });

  it('answers a body that is no object with one error of the whole body, at the root', async () => {
    const reply = await post('/v1/bookings/zod', [1, 2]);
    expect(reply.status).toBe(422);
    const text = reply.text;
    expect(text).toContain('Invalid input: expected object, received array');
    const body = reply.json as Record<string, unknown>;
    if (format === 'problem') {
      expect(body.errors).toEqual([
        { pointer: '#', detail: 'Invalid input: expected object, received array' },
      ]);
    } else if (format === 'nested') {
      expect((body.error as { errors: unknown }).errors).toEqual({
        '': ['Invalid input: expected object, received array'],
      });
    } else {
      expect(body.errors).toEqual({ '': ['Invalid input: expected object, received array'] });
    }
  });

  it('reports a value of the wrong kind once, where class-validator reports each check', async () => {
    const zod = await post('/v1/bookings/zod', { ...valid(), serviceId: null });
    const classValidator = await post('/v1/bookings', { ...valid(), serviceId: null });
    expect(zod.text).toContain('serviceId must be a string');
    expect(zod.text).not.toContain('serviceId should not be empty');
    expect(classValidator.text).toContain('serviceId should not be empty');
  });
});

describe.each(PLATFORMS)('VALIDATION_STATUS on the zod twin on %s', (platform) => {
  it('answers both routes with the configured status', async () => {
    const running = await startSampleApp({ HTTP_PLATFORM: platform, VALIDATION_STATUS: '400' });
    try {
      for (const path of ['/v1/bookings', '/v1/bookings/zod']) {
        const reply = await request(`${running.url}${path}`, {
          method: 'POST',
          headers: { 'x-api-key': DEMO_KEYS.authority, 'content-type': 'application/json' },
          body: JSON.stringify({ ...valid(), serviceId: '' }),
        });
        expect([path, reply.status]).toEqual([path, 400]);
      }
    } finally {
      await running.close();
    }
  });
});

describe.each(PLATFORMS)('Laravel Precognition on the zod twin on %s', (platform) => {
  it('validates with the schema and never runs the handler', async () => {
    const running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: 'laravel' });
    const post = (path: string, body: unknown) =>
      request(`${running.url}${path}`, {
        method: 'POST',
        headers: {
          'x-api-key': DEMO_KEYS.authority,
          'content-type': 'application/json',
          precognition: 'true',
        },
        body: JSON.stringify(body),
      });
    try {
      const body = valid();
      const checked = await post('/v1/bookings/zod', body);
      expect([checked.status, checked.headers.get('precognition-success')]).toEqual([204, 'true']);
      const invalid = { ...valid(), serviceId: '' };
      const zod = await post('/v1/bookings/zod', invalid);
      expect(zod.status).toBe(422);
      expect(comparable(zod)).toEqual(comparable(await post('/v1/bookings', invalid)));
      // Nothing was created: the same body books the slot for real.
      const created = await request(`${running.url}/v1/bookings/zod`, {
        method: 'POST',
        headers: { 'x-api-key': DEMO_KEYS.authority, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(created.status).toBe(201);
    } finally {
      await running.close();
    }
  });
});

const zodQuery = z.object({
  limit: z.coerce.number().int().min(1).default(10),
  since: z.coerce.date().optional(),
});
const itemParams = z.object({ id: z.coerce.number().int().positive() });
const pipedBody = z.strictObject({ a: z.string(), b: z.string(), c: z.string() });
const valibotBody = v.strictObject({
  customer: v.strictObject({ phone: v.pipe(v.string(), v.minLength(8)) }),
  matrix: v.array(v.array(v.number())),
});
const arktypeBody = type({
  '+': 'reject',
  customer: { '+': 'reject', phone: 'string >= 8' },
  matrix: 'number[][]',
});

@Controller('s')
class SchemaController {
  @Get()
  list(@Query({ schema: zodQuery }) query: z.output<typeof zodQuery>) {
    return {
      limit: query.limit,
      limitType: typeof query.limit,
      since: query.since instanceof Date ? query.since.toISOString() : null,
    };
  }

  @Get('items/:id')
  item(@Param({ schema: itemParams }) params: z.output<typeof itemParams>) {
    return { id: params.id, idType: typeof params.id };
  }

  @Post('piped')
  piped(@Body(new StandardSchemaPipe(pipedBody, { maxErrors: 2 })) body: unknown) {
    return body;
  }

  @Post('valibot')
  valibot(@Body({ schema: valibotBody }) body: v.InferOutput<typeof valibotBody>) {
    return body;
  }

  @Post('arktype')
  arktype(@Body({ schema: arktypeBody }) body: typeof arktypeBody.infer) {
    return body;
  }
}

@Module({
  imports: [ApiErrorsModule.forRoot({ validation: { whitelist: true } })],
  controllers: [SchemaController],
})
class SchemaModule {}

describe.each(PLATFORMS)('Standard Schema parameters on %s', (platform) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp(platform, SchemaModule);
  });
  afterAll(() => running.close());

  it("hands the handler the schema's output: coerced numbers and dates, defaults", async () => {
    const given = await request(`${running.url}/s?limit=5&since=2026-01-02T03:04:05Z`);
    expect(given.json).toEqual({
      limit: 5,
      limitType: 'number',
      since: '2026-01-02T03:04:05.000Z',
    });
    expect((await request(`${running.url}/s`)).json).toEqual({
      limit: 10,
      limitType: 'number',
      since: null,
    });
  });

  it('answers a query that fails its schema with the field map', async () => {
    const reply = await request(`${running.url}/s?limit=0`);
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({
      error: 'validation_error',
      status: 422,
      errors: { limit: ['limit: Too small: expected number to be >=1'] },
    });
  });

  it('validates and coerces route params with @Param({ schema })', async () => {
    expect((await request(`${running.url}/s/items/42`)).json).toEqual({ id: 42, idType: 'number' });
    const reply = await request(`${running.url}/s/items/-1`);
    expect(reply.status).toBe(422);
    expect(Object.keys((reply.json as { errors: object }).errors)).toEqual(['id']);
  });

  it('takes a schema given to StandardSchemaPipe, bounded by its maxErrors', async () => {
    const reply = await request(`${running.url}/s/piped`, { method: 'POST', json: { d: 1 } });
    expect(reply.json).toEqual({
      error: 'validation_error',
      status: 422,
      errors: {
        d: ['property d should not exist'],
        a: ['The a field is required.'],
      },
      omittedErrors: 2,
    });
    const ok = await request(`${running.url}/s/piped`, {
      method: 'POST',
      json: { a: 'x', b: 'y', c: 'z' },
    });
    expect([ok.status, ok.json]).toEqual([201, { a: 'x', b: 'y', c: 'z' }]);
  });

  it.each(['valibot', 'arktype'])(
    'maps %s issues to the same paths: nested, arrays of arrays, unknown keys, missing',
    async (validator) => {
      const reply = await request(`${running.url}/s/${validator}`, {
        method: 'POST',
        json: { customer: { phone: '123', extra: 1 }, matrix: [[1], [2, 'x']], other: true },
      });
      expect(reply.status).toBe(422);
      const errors = (reply.json as { errors: Record<string, string[]> }).errors;
      expect(Object.keys(errors).sort()).toEqual(
        ['customer.extra', 'customer.phone', 'matrix.1.1', 'other'].sort(),
      );
      expect(errors['customer.extra']).toEqual(['property customer.extra should not exist']);
      expect(errors.other).toEqual(['property other should not exist']);
      expect(errors['matrix.1.1'][0]).toMatch(/^matrix\.1\.1[: ]/);

      const missing = await request(`${running.url}/s/${validator}`, {
        method: 'POST',
        json: { customer: {}, matrix: [] },
      });
      expect((missing.json as { errors: unknown }).errors).toEqual({
        'customer.phone': ['The customer.phone field is required.'],
      });
    },
  );
});
