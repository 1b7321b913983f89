import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MATRIX,
  contentTypeOf,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { validationBody } from './support/expected.js';
import { VALID_BOOKING } from './support/bookings.js';
import { DEMO_KEYS } from './support/keys.js';
import { startOriginsApp } from './support/origins.module.js';

const VALID = VALID_BOOKING;

describe.each(MATRIX)('validation on %s, %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
  });
  afterAll(() => running.close());

  const postJson = (body: unknown, key: string = DEMO_KEYS.authority) =>
    request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const idOf = (reply: Reply) => reply.headers.get('x-request-id') ?? '';

  it('pins the body of a booking with three failing nested and array fields', async () => {
    const reply = await postJson({
      ...VALID,
      customer: { name: 'Ada', phone: '12345' },
      items: [
        { sku: '', qty: 1 },
        { sku: 'B-2', qty: 0 },
      ],
    });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(reply.json).toEqual(
      validationBody(
        format,
        [
          ['customer.phone', 'customer.phone must be an E.164 phone number', '#/customer/phone'],
          ['items.0.sku', 'items.0.sku should not be empty', '#/items/0/sku'],
          ['items.1.qty', 'items.1.qty must not be less than 1', '#/items/1/qty'],
        ],
        idOf(reply),
      ),
    );
  });

  it("matches kanalkanal-errors.txt's example for a missing customer.phone", async () => {
    const reply = await postJson({ ...VALID, customer: { name: 'Ada' } });
    expect(reply.status).toBe(422);
    const field: [string, string, string] = [
      'customer.phone',
      'The customer.phone field is required.',
      '#/customer/phone',
    ];
    expect(reply.json).toEqual(validationBody(format, [field], idOf(reply)));
    if (format === 'laravel') {
      expect(reply.text).toBe(
        '{"message":"The customer.phone field is required.","errors":{"customer.phone":["The customer.phone field is required."]}}',
      );
    }
  });

  it('rejects non-whitelisted properties at their own path', async () => {
    const reply = await postJson({ ...VALID, customer: { ...VALID.customer, vip: true } });
    expect(reply.json).toEqual(
      validationBody(
        format,
        [['customer.vip', 'property customer.vip should not exist', '#/customer/vip']],
        idOf(reply),
      ),
    );
  });

  // Issue #13, item 7: Express answered 201 (class-transformer drops the keys before whitelisting
  // sees them), Fastify 400 (its parser rejects them).
  it('rejects __proto__ and constructor keys at their own path, as any unknown property', async () => {
    const reply = await request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO_KEYS.authority, 'content-type': 'application/json' },
      body: JSON.stringify(VALID).replace(
        /}$/,
        ',"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}',
      ),
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual(
      validationBody(
        format,
        [
          ['__proto__', 'property __proto__ should not exist', '#/__proto__'],
          ['constructor', 'property constructor should not exist', '#/constructor'],
        ],
        idOf(reply),
      ),
    );
    const nested = await postJson({ ...VALID, customer: { ...VALID.customer, vip: true } });
    expect(nested.status).toBe(422);
  });

  it('renders a business rule from the handler in the same shape', async () => {
    const reply = await postJson({ ...VALID, endsAt: VALID.startsAt });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual(
      validationBody(
        format,
        [['endsAt', 'End time must be after start time', '#/endsAt']],
        idOf(reply),
      ),
    );
  });

  it('creates a booking, lists it for its organization only, and answers a double booking with 409', async () => {
    const startsAt = `2026-06-0${MATRIX.length % 9}T08:00:00Z`;
    const body = {
      ...VALID,
      serviceId: `svc_${platform}_${format}`,
      startsAt,
      endsAt: '2026-06-30T09:00:00Z',
    };
    const created = await postJson(body);
    expect(created.status).toBe(201);
    const { booking } = created.json as { booking: { id: string; serviceId: string } };
    expect(booking.id).toMatch(/^book_/);
    expect(booking).toMatchObject({
      serviceId: body.serviceId,
      customer: VALID.customer,
      items: VALID.items,
    });

    const mine = await request(`${running.url}/v1/bookings`, {
      headers: { 'x-api-key': DEMO_KEYS.authority },
    });
    expect((mine.json as { bookings: { id: string }[] }).bookings.map((b) => b.id)).toContain(
      booking.id,
    );
    const theirs = await request(`${running.url}/v1/bookings`, {
      headers: { 'x-api-key': DEMO_KEYS.network },
    });
    expect((theirs.json as { bookings: { id: string }[] }).bookings.map((b) => b.id)).not.toContain(
      booking.id,
    );

    const again = await postJson(body);
    expect(again.status).toBe(409);
    const expected = {
      flat: { error: 'conflict', status: 409 },
      problem: {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Time slot is no longer available',
        instance: idOf(again),
        code: 'conflict_error',
      },
      nested: {
        error: { code: 'CONFLICT', message: 'Time slot is no longer available' },
        request_id: idOf(again),
      },
      laravel: { error: 'Time slot is no longer available' },
    }[format];
    expect(again.json).toEqual(expected);
  });

  it('needs scope bookings:write to create', async () => {
    const reply = await postJson(VALID, DEMO_KEYS.local);
    expect(reply.status).toBe(403);
  });

  it('validates the limit query of GET /v1/locations', async () => {
    const ok = await request(`${running.url}/v1/locations?limit=2`, {
      headers: { 'x-api-key': DEMO_KEYS.authority },
    });
    expect((ok.json as { locations: unknown[] }).locations).toHaveLength(2);
    const bad = await request(`${running.url}/v1/locations?limit=101`, {
      headers: { 'x-api-key': DEMO_KEYS.authority },
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual(
      validationBody(
        format,
        [['limit', 'limit must not be greater than 100', '#/limit']],
        idOf(bad),
      ),
    );
    // Not a number at all: the type error leads, though @Max ran first.
    const wrongKind = await request(`${running.url}/v1/locations?limit=abc`, {
      headers: { 'x-api-key': DEMO_KEYS.authority },
    });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.json).toEqual(
      validationBody(
        format,
        [
          ['limit', 'limit must be an integer number', '#/limit'],
          ['limit', 'limit must not be greater than 100', '#/limit'],
          ['limit', 'limit must not be less than 1', '#/limit'],
        ],
        idOf(wrongKind),
      ),
    );
  });

  it.each([
    ['a JSON array', [1, 2, 3]],
    ['a string', 'booking'],
    ['a number', 42],
    ['items of the wrong type', { ...VALID, items: ['a', 1, null] }],
    ['items as a string', { ...VALID, items: 'CUT-1' }],
    [
      'a payload nested 100 deep',
      { ...VALID, notes: JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)) },
    ],
  ])('answers %s with a clear 422', async (_label, body) => {
    const reply = await postJson(body);
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(reply.text).not.toMatch(/\bat \w|Error:|stack/);
  });

  it('bounds 10,000 failing items to 100 field errors and states how many were left out', async () => {
    const reply = await postJson({ ...VALID, items: Array.from({ length: 10_000 }, () => ({})) });
    expect(reply.status).toBe(422);
    const body = reply.json as Record<string, unknown>;
    const errors = (
      format === 'nested' ? (body.error as Record<string, unknown>).errors : body.errors
    ) as Record<string, string[]> | { pointer: string }[];
    const count = Array.isArray(errors) ? errors.length : Object.values(errors).flat().length;
    expect(count).toBe(100);
    const omitted =
      format === 'nested'
        ? (body.error as Record<string, unknown>).omittedErrors
        : body.omittedErrors;
    expect(omitted).toBe(19_900);
    expect(reply.text.length).toBeLessThan(20_000);
    // The server keeps serving.
    expect((await request(`${running.url}/v1/health`)).status).toBe(200);
  });

  it('answers a booking sent as text/plain with 415', async () => {
    const reply = await request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO_KEYS.authority, 'content-type': 'text/plain' },
      body: JSON.stringify(VALID),
    });
    expect(reply.status).toBe(415);
  });
});

describe.each(MATRIX)('validation status and stock pipes on %s, %s format', (platform, format) => {
  it('uses VALIDATION_STATUS for every validation failure', async () => {
    const running = await startSampleApp({
      HTTP_PLATFORM: platform,
      ERROR_FORMAT: format,
      VALIDATION_STATUS: '400',
    });
    try {
      const reply = await request(`${running.url}/v1/bookings`, {
        method: 'POST',
        headers: { 'x-api-key': DEMO_KEYS.authority },
        json: { ...VALID, endsAt: VALID.startsAt },
      });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual(
        validationBody(
          format,
          [['endsAt', 'End time must be after start time', '#/endsAt']],
          reply.headers.get('x-request-id') ?? '',
          400,
        ),
      );
    } finally {
      await running.close();
    }
  });

  it("renders a stock ValidationPipe's list and grouped errors in the same shape", async () => {
    const running = await startOriginsApp(platform, { format, validation: false });
    try {
      for (const path of ['/o/stock-list', '/o/stock-grouped']) {
        const reply = await request(`${running.url}${path}`, {
          method: 'POST',
          json: { name: 7, inner: { qty: 0 } },
        });
        expect(reply.status).toBe(422);
        expect(reply.json).toEqual(
          validationBody(
            format,
            [
              ['name', 'name must be a string', '#/name'],
              ['inner.qty', 'inner.qty must not be less than 1', '#/inner/qty'],
            ],
            reply.headers.get('x-request-id') ?? '',
          ),
        );
      }
    } finally {
      await running.close();
    }
  });
});
