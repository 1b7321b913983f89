import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Body, Controller, Module, Post } from '@nestjs/common';
import {
  IsInt,
  IsString,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ApiErrorsModule, type ErrorFormatName } from 'nest-api-errors';
import { DtoCompiler } from '../lib/validation/dto-compiler.js';
import { validationBody } from './support/expected.js';
import { MATRIX, request, startSampleApp, type Reply, type RunningApp } from './support/harness.js';
import { VALID_BOOKING } from './support/bookings.js';
import { DEMO_KEYS } from './support/keys.js';
import { startTestApp } from './support/test-app.js';

const VALID = { ...VALID_BOOKING, serviceId: 'svc_compiled' };

/** Bodies for POST /v1/bookings, as JSON text: what a client may really send. */
const BODIES: readonly string[] = [
  JSON.stringify(VALID),
  JSON.stringify({ ...VALID, serviceId: 'svc_compiled_2', notes: undefined }),
  '{}',
  '[]',
  '[{"serviceId":"a"}]',
  '"text"',
  'null',
  '7',
  JSON.stringify({ ...VALID, customer: { name: '', phone: '123', vip: true } }),
  JSON.stringify({ ...VALID, customer: 'Ada' }),
  JSON.stringify({ ...VALID, customer: null }),
  JSON.stringify({ ...VALID, items: [] }),
  JSON.stringify({ ...VALID, items: [{ sku: '', qty: 0 }, 5, null, [], { qty: '1' }] }),
  JSON.stringify({ ...VALID, items: { sku: 'A', qty: 1 } }),
  JSON.stringify({ ...VALID, startsAt: '2026-02-30T10:00:00Z', endsAt: 12 }),
  JSON.stringify({ ...VALID, notes: 'x'.repeat(501), extra: 1, other: { a: 1 } }),
  '{"serviceId":"a","__proto__":{"admin":true},"constructor":{"prototype":{}}}',
  '{"serviceId":"a","toString":"x","valueOf":1,"hasOwnProperty":null}',
  JSON.stringify({ ...VALID, items: [{ sku: 'A', qty: 1, __proto__: 1 }] }).replace(
    '"qty":1}',
    '"qty":1,"__proto__":{"x":1}}',
  ),
];

/** Query strings for GET /v1/locations. */
const QUERIES: readonly string[] = [
  '',
  '?limit=10',
  '?limit=abc',
  '?limit=0',
  '?limit=101',
  '?limit=1.5',
  '?limit=',
  '?limit=1&limit=2',
  '?limit[]=1',
  '?limit[a]=1',
  '?other=1',
  '?limit=10&__proto__=1',
];

/** A reply with what differs between two runs of the same request blanked out. */
function comparable(reply: Reply): string {
  return JSON.stringify({
    status: reply.status,
    type: reply.headers.get('content-type'),
    body: reply.text
      .replace(/req_[0-9a-f]{32}/g, 'req_')
      .replace(/book_[A-Za-z0-9_-]{12}/g, 'book_')
      .replace(/"createdAt":"[^"]+"/g, '"createdAt":""'),
  });
}

describe.each(MATRIX)('compiled DTO validation on %s, %s format', (platform, format) => {
  let compiled: RunningApp;
  let reference: RunningApp;

  beforeAll(async () => {
    const env = { HTTP_PLATFORM: platform, ERROR_FORMAT: format };
    [compiled, reference] = await Promise.all([
      startSampleApp(env),
      startSampleApp({ ...env, VALIDATION_COMPILE: 'false' }),
    ]);
  });
  afterAll(() => Promise.all([compiled.close(), reference.close()]));

  const post = (app: RunningApp, body: string) =>
    request(`${app.url}/v1/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO_KEYS.authority, 'content-type': 'application/json' },
      body,
    });

  it('answers every booking body exactly as class-validator does', async () => {
    // Proof that one app runs the compiled path: its validations are answered by the plan.
    const answered = jest.spyOn(DtoCompiler.prototype, 'validate');
    for (const body of BODIES) {
      const a = await post(compiled, body);
      const b = await post(reference, body);
      expect({ body, reply: comparable(a) }).toEqual({ body, reply: comparable(b) });
    }
    expect(answered.mock.results.filter((r) => Array.isArray(r.value)).length).toBeGreaterThan(
      BODIES.length / 2,
    );
    answered.mockRestore();
    // The first is valid: the compiled path let it through with its nested objects.
    const created = await post(compiled, JSON.stringify({ ...VALID, serviceId: 'svc_compiled_3' }));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      booking: { customer: VALID.customer, items: VALID.items },
    });
  });

  it('answers every /v1/locations query exactly as class-validator does', async () => {
    for (const query of QUERIES) {
      const get = (app: RunningApp) =>
        request(`${app.url}/v1/locations${query}`, {
          headers: { 'x-api-key': DEMO_KEYS.authority },
        });
      const [a, b] = await Promise.all([get(compiled), get(reference)]);
      expect({ query, reply: comparable(a) }).toEqual({ query, reply: comparable(b) });
    }
  });

  it('compiles every DTO of the sample app', () => {
    expect(compiled.logger.text()).not.toMatch(/not compiled/);
  });
});

@ValidatorConstraint({ name: 'evenNumber' })
class EvenNumber implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be even`;
  }
}

class PairsDto {
  @IsInt()
  @Validate(EvenNumber)
  pairs!: number;
}

class NameDto {
  @IsString()
  name!: string;
}

@Controller('dto')
class DtoController {
  @Post('pairs')
  pairs(@Body() dto: PairsDto): PairsDto {
    return dto;
  }

  @Post('name')
  name(@Body() dto: NameDto): NameDto {
    return dto;
  }
}

function moduleFor(format: ErrorFormatName) {
  @Module({
    imports: [
      ApiErrorsModule.forRoot({
        format,
        validation: { whitelist: true, forbidNonWhitelisted: true, transform: true },
      }),
    ],
    controllers: [DtoController],
  })
  class FallbackModule {}
  return FallbackModule;
}

describe.each(MATRIX)('a DTO left to class-validator, on %s, %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp(platform, moduleFor(format));
  });
  afterAll(() => running.close());

  const post = (path: string, body: unknown) =>
    request(`${running.url}/dto/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('is named once at start-up, with the reason, and the compiled one is not', () => {
    const lines = running.logger.lines.filter((line) => /not compiled/.test(line.text));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'log',
      text: expect.stringContaining(
        'PairsDto (constraint class EvenNumber on PairsDto.pairs)',
      ) as unknown as string,
    });
    expect(lines[0].text).not.toMatch(/NameDto/);
  });

  it('is validated by its own constraint, in the configured format', async () => {
    const reply = await post('pairs', { pairs: 3, extra: true });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual(
      validationBody(
        format,
        [
          ['extra', 'property extra should not exist', '#/extra'],
          ['pairs', 'pairs must be even', '#/pairs'],
        ],
        reply.headers.get('x-request-id') ?? '',
      ),
    );
    expect((await post('pairs', { pairs: 4 })).json).toEqual({ pairs: 4 });
    expect((await post('name', { name: 5 })).status).toBe(422);
    expect((await post('name', { name: 'Ada' })).json).toEqual({ name: 'Ada' });
  });
});
