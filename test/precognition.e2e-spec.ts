import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  Injectable,
  Module,
  Param,
  Post,
  Query,
  type DynamicModule,
} from '@nestjs/common';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { client, createValidator, HttpResponseError, type Config } from 'laravel-precognition';
import { randomUUID } from 'node:crypto';
import {
  ApiErrorsModule,
  ApiValidationException,
  ApiValidationPipe,
  flattenValidationErrors,
  type ApiErrorsModuleOptions,
  type ValidationErrorLike,
} from 'nest-api-errors';
import {
  PLATFORMS,
  REQUEST_ID,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import { startTestApp } from './support/test-app.js';

/** A valid booking on a service of its own, so that no two tests share a slot. */
function booking() {
  return {
    serviceId: `svc_${randomUUID()}`,
    startsAt: '2027-03-01T09:00:00Z',
    endsAt: '2027-03-01T10:00:00Z',
    customer: { name: 'Ada', phone: '+31612345678' },
    items: [
      { sku: 'CUT-1', qty: 1 },
      { sku: 'WASH-2', qty: 2 },
    ],
  };
}

/** A booking with three failing fields: customer.phone, items.0.sku and items.1.qty. */
function invalidBooking() {
  const body = booking();
  return {
    ...body,
    customer: { name: 'Ada', phone: '12345' },
    items: [
      { sku: '', qty: 1 },
      { sku: 'B-2', qty: 0 },
    ],
  };
}

const PHONE = 'customer.phone must be an E.164 phone number';
const SKU = 'items.0.sku should not be empty';
const QTY = 'items.1.qty must not be less than 1';

const AUTH = { 'x-api-key': DEMO_KEYS.authority };
const PRECOGNITIVE = { ...AUTH, precognition: 'true' };

/** The headers Laravel's middleware puts on every answer to a precognitive request. */
function expectPrecognitive(reply: Reply) {
  expect(reply.headers.get('precognition')).toBe('true');
  expect(reply.headers.get('vary')).toBe('Precognition');
}

/** A 204 that the laravel-precognition client counts as success, and nothing else. */
function expectSuccess(reply: Reply) {
  expect(reply.status).toBe(204);
  expect(reply.text).toBe('');
  expectPrecognitive(reply);
  expect(reply.headers.get('precognition-success')).toBe('true');
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('content-length')).toBeNull();
  expect(reply.headers.get('content-type')).toBeNull();
  expect(reply.headers.get('x-request-id')).toMatch(REQUEST_ID);
}

describe.each(PLATFORMS)('Laravel Precognition on %s', (platform) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: 'laravel' });
  });
  afterAll(() => running.close());

  const post = (body: unknown, headers: Record<string, string> = PRECOGNITIVE) =>
    request(`${running.url}/v1/bookings`, { method: 'POST', headers, json: body });
  const validateOnly = (body: unknown, fields: string) =>
    post(body, { ...PRECOGNITIVE, 'precognition-validate-only': fields });
  const bookingsOf = async (serviceId: string) => {
    const reply = await request(`${running.url}/v1/bookings`, { headers: AUTH });
    expect(reply.status).toBe(200);
    return (reply.json as { bookings: { serviceId: string }[] }).bookings.filter(
      (b) => b.serviceId === serviceId,
    );
  };

  it('answers a valid body with 204 Precognition-Success and creates nothing', async () => {
    const body = booking();
    const reply = await post(body);
    expectSuccess(reply);
    expect(reply.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(await bookingsOf(body.serviceId)).toEqual([]);
    // The slot is still free: the real submission books it.
    const real = await post(body, AUTH);
    expect(real.status).toBe(201);
    expect(real.headers.get('precognition')).toBeNull();
    expect(await bookingsOf(body.serviceId)).toHaveLength(1);
  });

  it('answers an invalid body with the same 422 as the real submission, marked precognitive', async () => {
    const body = invalidBooking();
    const reply = await post(body);
    expect(reply.status).toBe(422);
    expectPrecognitive(reply);
    expect(reply.headers.get('precognition-success')).toBeNull();
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.json).toEqual({
      message: `${PHONE} (and 2 more errors)`,
      errors: { 'customer.phone': [PHONE], 'items.0.sku': [SKU], 'items.1.qty': [QTY] },
    });
    const real = await post(body, AUTH);
    expect(real.status).toBe(422);
    expect(real.text).toBe(reply.text);
    expect(await bookingsOf(body.serviceId)).toEqual([]);
  });

  it.each([
    ['one field', 'customer.phone', { 'customer.phone': [PHONE] }, PHONE],
    [
      'a parent field',
      'items',
      { 'items.0.sku': [SKU], 'items.1.qty': [QTY] },
      `${SKU} (and 1 more error)`,
    ],
    ['a wildcard segment', 'items.*.qty', { 'items.1.qty': [QTY] }, QTY],
    [
      'several fields',
      'items.*.sku,customer.phone',
      { 'customer.phone': [PHONE], 'items.0.sku': [SKU] },
      `${PHONE} (and 1 more error)`,
    ],
  ])(
    'Precognition-Validate-Only with %s reports only those errors',
    async (_, fields, errors, message) => {
      const reply = await validateOnly(invalidBooking(), fields);
      expect(reply.status).toBe(422);
      expectPrecognitive(reply);
      expect(reply.json).toEqual({ message, errors });
    },
  );

  it('answers 204 when the listed fields are valid, whatever else fails', async () => {
    expectSuccess(await validateOnly(invalidBooking(), 'customer.name,items.*.unknown,serviceId'));
    expectSuccess(await validateOnly(invalidBooking(), ''));
  });

  it('validates query parameters too, and never runs a GET handler', async () => {
    const url = `${running.url}/v1/locations`;
    const invalid = await request(`${url}?limit=500`, { headers: PRECOGNITIVE });
    expect(invalid.status).toBe(422);
    expectPrecognitive(invalid);
    expect(invalid.json).toEqual({
      message: 'limit must not be greater than 100',
      errors: { limit: ['limit must not be greater than 100'] },
    });
    const valid = await request(`${url}?limit=2`, { headers: PRECOGNITIVE });
    expectSuccess(valid);
    // A handler that would have failed (404) does not run either.
    expectSuccess(await request(`${url}/loc_nowhere`, { headers: PRECOGNITIVE }));
  });

  it('authenticates and authorises first: 401 and 403 as usual, marked precognitive', async () => {
    const body = booking();
    const anonymous = await post(body, { precognition: 'true' });
    expect(anonymous.status).toBe(401);
    expectPrecognitive(anonymous);
    expect(anonymous.json).toEqual({ error: 'Invalid or missing API key' });
    const readOnly = await post(body, { 'x-api-key': DEMO_KEYS.local, precognition: 'true' });
    expect(readOnly.status).toBe(403);
    expectPrecognitive(readOnly);
    expect(readOnly.headers.get('precognition-success')).toBeNull();
    // An invalid body changes nothing: authentication comes before validation.
    expect((await post(invalidBooking(), { precognition: 'true' })).status).toBe(401);
  });

  it('counts precognitive requests against the rate limit', async () => {
    const remaining = async () =>
      Number((await post(booking())).headers.get('x-ratelimit-remaining'));
    const first = await remaining();
    expect(await remaining()).toBe(first - 1);
  });

  it('never claims an Idempotency-Key: the real request with the key runs, its replay is not served', async () => {
    const body = booking();
    const key = randomUUID();
    expectSuccess(await post(body, { ...PRECOGNITIVE, 'idempotency-key': key }));
    expect((await post(invalidBooking(), { ...PRECOGNITIVE, 'idempotency-key': key })).status).toBe(
      422,
    );
    const real = await post(body, { ...AUTH, 'idempotency-key': key });
    expect(real.status).toBe(201);
    expect(real.headers.get('idempotent-replayed')).toBeNull();
    // Once the key holds a response, a precognitive request still only validates.
    expectSuccess(await post(body, { ...PRECOGNITIVE, 'idempotency-key': key }));
    const replay = await post(body, { ...AUTH, 'idempotency-key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(real.text);
    expect(await bookingsOf(body.serviceId)).toHaveLength(1);
  });

  it('runs the request as usual for any other Precognition value', async () => {
    const body = booking();
    const reply = await post(body, { ...AUTH, precognition: 'false' });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('precognition')).toBeNull();
    expect(await bookingsOf(body.serviceId)).toHaveLength(1);
  });

  describe('with the laravel-precognition client', () => {
    const url = () => `${running.url}/v1/bookings`;
    const config = (extra: Config = {}): Config => ({
      headers: { 'X-API-Key': DEMO_KEYS.authority },
      fingerprint: null,
      ...extra,
    });

    it('resolves a valid body as Precognition success, creating nothing', async () => {
      const body = booking();
      const outcome = await client.post(
        url(),
        body,
        config({ onPrecognitionSuccess: () => 'valid' }),
      );
      expect(outcome).toBe('valid');
      expect(await bookingsOf(body.serviceId)).toEqual([]);
    });

    it('reads the field errors of an invalid body, limited to the fields it validates', async () => {
      const errors = await client.post(
        url(),
        invalidBooking(),
        config({
          only: ['customer.phone', 'items.*.qty'],
          onValidationError: (response) => (response.data as { errors: unknown }).errors,
        }),
      );
      expect(errors).toEqual({ 'customer.phone': [PHONE], 'items.1.qty': [QTY] });
      // Without a handler for it, the 422 rejects, as the client does for any error status.
      const failure = await client.post(url(), invalidBooking(), config()).catch((e) => e);
      expect(failure).toBeInstanceOf(HttpResponseError);
      expect((failure as HttpResponseError).response.status).toBe(422);
    });

    it('hands a 401 to onUnauthorized: the refusal is a Precognition response too', async () => {
      const status = await client.post(url(), booking(), {
        fingerprint: null,
        onUnauthorized: (response) => response.status,
      });
      expect(status).toBe(401);
    });

    it("keeps a form validator's errors as a user corrects the field", async () => {
      const data = invalidBooking();
      const validator = createValidator(
        (precognitive) => precognitive.post(url(), data, config()),
        data,
      );
      const validated = () =>
        new Promise<void>((resolve) => {
          const done = () => {
            if (!validator.validating()) resolve();
          };
          validator.on('validatingChanged', done);
        });
      let finished = validated();
      validator.validate('customer.phone', 'changed');
      await finished;
      expect(validator.errors()).toEqual({ 'customer.phone': [PHONE] });
      expect(validator.valid()).toEqual([]);

      data.customer.phone = '+31612345678';
      const corrected = createValidator(
        (precognitive) => precognitive.post(url(), data, config()),
        data,
      );
      corrected.setErrors(validator.errors());
      finished = new Promise<void>((resolve) =>
        corrected.on('validatingChanged', () => {
          if (!corrected.validating()) resolve();
        }),
      );
      corrected.validate('customer.phone', 'changed');
      await finished;
      expect(corrected.errors()).toEqual({});
      expect(corrected.valid()).toEqual(['customer.phone']);
    });
  });
});

describe('Laravel Precognition answers alike on both platforms', () => {
  let apps: RunningApp[];

  beforeAll(async () => {
    apps = await Promise.all(
      PLATFORMS.map((platform) =>
        startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: 'laravel' }),
      ),
    );
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  /** Status, headers (but the date and the request id, which differ anyway) and body text. */
  const wire = (reply: Reply) => {
    const headers: Record<string, string> = {};
    reply.headers.forEach((value, name) => {
      if (name !== 'date' && name !== 'x-request-id') headers[name] = value;
    });
    return { status: reply.status, headers, text: reply.text };
  };

  it.each([
    ['valid', booking(), {}],
    ['invalid', invalidBooking(), {}],
    ['filtered', invalidBooking(), { 'precognition-validate-only': 'items.*.sku' }],
    ['anonymous', booking(), { 'x-api-key': '' }],
  ])('%s', async (_, body, headers) => {
    const replies = await Promise.all(
      apps.map((app) =>
        request(`${app.url}/v1/bookings`, {
          method: 'POST',
          headers: { ...PRECOGNITIVE, ...headers },
          json: body,
        }),
      ),
    );
    const [express, fastify] = replies.map(wire);
    expect(express.headers['precognition']).toBe('true');
    // Both apps are fresh: the same rate-limit state, bar a reset a second apart.
    delete express.headers['x-ratelimit-reset'];
    delete fastify.headers['x-ratelimit-reset'];
    expect(fastify).toEqual(express);
  });
});

describe.each(
  PLATFORMS.flatMap((p) => (['flat', 'problem', 'nested'] as const).map((f) => [p, f])),
)('Precognition ignored on %s with the %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
  });
  afterAll(() => running.close());

  it('runs the request as usual: a valid booking is created', async () => {
    const body = booking();
    const reply = await request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: { ...PRECOGNITIVE, 'precognition-validate-only': 'notes' },
      json: body,
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('precognition')).toBeNull();
    expect(reply.headers.get('vary')).toBeNull();
    expect((reply.json as { booking: { serviceId: string } }).booking.serviceId).toBe(
      body.serviceId,
    );
  });

  it('reports every failing field, unfiltered', async () => {
    const reply = await request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: { ...PRECOGNITIVE, 'precognition-validate-only': 'notes' },
      json: invalidBooking(),
    });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('precognition')).toBeNull();
    expect(reply.text).toContain('items.1.qty');
  });
});

// An app of its own: several validated arguments, a pipe subclass, and the option turned off.

class RoomQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  guests!: number;
}

class RoomInput {
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be three capital letters' })
  code!: string;
}

/** Counts how often a handler runs, to prove that precognitive requests never reach it. */
const runs = { count: 0 };

@Controller('hotels/:hotelId/rooms')
class RoomsController {
  @Post()
  create(@Param('hotelId') hotelId: string, @Query() query: RoomQuery, @Body() input: RoomInput) {
    runs.count += 1;
    return { hotelId, guests: query.guests, code: input.code };
  }
}

/** A pipe subclass: its messages prove that precognitive requests go through it. */
@Injectable()
class ShoutingPipe extends ApiValidationPipe {
  override createExceptionFactory() {
    return (errors: ValidationErrorLike[] = []) =>
      new ApiValidationException(
        flattenValidationErrors(errors).fieldErrors.map((field) => ({
          ...field,
          message: field.message.toUpperCase(),
        })),
      );
  }
}

function roomsApp(options: ApiErrorsModuleOptions): DynamicModule {
  @Module({ imports: [ApiErrorsModule.forRoot(options)], controllers: [RoomsController] })
  class RoomsModule {}
  return { module: RoomsModule };
}

describe.each(PLATFORMS)('Laravel Precognition options on %s', (platform) => {
  const rooms = (app: RunningApp, query: string, body: unknown, headers = {}) =>
    request(`${app.url}/hotels/h1/rooms?${query}`, {
      method: 'POST',
      headers: { precognition: 'true', ...headers },
      json: body,
    });

  describe('with a pipe subclass', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startTestApp(
        platform,
        roomsApp({ format: 'laravel', validation: { pipe: ShoutingPipe, transform: true } }),
      );
    });
    afterAll(() => app.close());

    it('validates the query and the body through the app’s pipe, in parameter order', async () => {
      const before = runs.count;
      const query = await rooms(app, 'guests=0', { code: 'abc' });
      expect(query.status).toBe(422);
      expect(query.json).toEqual({
        message: 'GUESTS MUST NOT BE LESS THAN 1',
        errors: { guests: ['GUESTS MUST NOT BE LESS THAN 1'] },
      });
      // The query is valid on its own: the body's failure is reported.
      const body = await rooms(app, 'guests=2', { code: 'abc' });
      expect(body.json).toEqual({
        message: 'CODE MUST BE THREE CAPITAL LETTERS',
        errors: { code: ['CODE MUST BE THREE CAPITAL LETTERS'] },
      });
      // The query's errors filtered out, the body's are the ones left to report.
      const filtered = await rooms(
        app,
        'guests=0',
        { code: 'abc' },
        {
          'precognition-validate-only': 'code',
        },
      );
      expect(filtered.json).toEqual(body.json);
      expectSuccess(await rooms(app, 'guests=2', { code: 'ABC' }));
      expect(runs.count).toBe(before);
      // The same request, not precognitive, runs the handler.
      const real = await request(`${app.url}/hotels/h1/rooms?guests=2`, {
        method: 'POST',
        json: { code: 'ABC' },
      });
      expect(real.status).toBe(201);
      expect(real.json).toEqual({ hotelId: 'h1', guests: 2, code: 'ABC' });
      expect(runs.count).toBe(before + 1);
    });
  });

  describe('with precognition: false', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startTestApp(platform, roomsApp({ format: 'laravel', precognition: false }));
    });
    afterAll(() => app.close());

    it('runs precognitive requests as usual', async () => {
      const before = runs.count;
      const reply = await rooms(app, 'guests=2', { code: 'ABC' });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('precognition')).toBeNull();
      expect(runs.count).toBe(before + 1);
    });
  });
});
