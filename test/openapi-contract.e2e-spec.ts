import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  Injectable,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { from, switchMap, type Observable } from 'rxjs';
import type { ErrorFormatName } from 'nest-api-errors';
import { AppModule } from '../sample-app/src/app.module.js';
import { BODY_LIMIT_BYTES } from '../sample-app/src/bootstrap.js';
import type { HttpPlatform } from '../sample-app/src/config.js';
import { MATRIX, request, startSampleApp, type Reply, type RunningApp } from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import {
  ContractChecker,
  comparable,
  operationsOf,
  type OpenApiDoc,
} from './support/openapi-contract.js';

/**
 * The contract test: for every operation of the sample app's own OpenAPI document, on both
 * platforms, in every format and in two configurations, every documented error is provoked
 * (each example, so each cause of each status) and the answer is checked against the document:
 * its status, its body against the schema with a JSON Schema validator and against the example
 * (request id and numbers aside), and its documented headers. The successes are checked too.
 * The converse (no answer of any e2e suite is undocumented) is checked after every suite, this
 * one included (undocumented-answers.ts).
 */

/** The example id every document renders its examples with. */
const EXAMPLE_ID = 'req_5f0c3a9e0d8b4c7e9a1f2b3c4d5e6f70';

/**
 * Two causes of an answer no request to the sample app can bring about on its own, injected
 * after every guard, where a handler would run: `fail` throws an unexpected error (500 on any
 * route), `hold` keeps the request until released (a second request with its Idempotency-Key
 * meets the running one: 409).
 */
@Injectable()
class Probe implements NestInterceptor {
  private arrived: (() => void) | undefined;
  private release: (() => void) | undefined;

  /** Resolves once a held request has reached the probe. */
  arrival(): Promise<void> {
    return new Promise((resolve) => (this.arrived = resolve));
  }

  /** Lets the held request go on to its handler. */
  releaseHeld(): void {
    this.release?.();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const probe = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
      'x-contract-probe'
    ];
    if (probe === 'fail') throw new Error('contract probe: the handler failed');
    if (probe !== 'hold') return next.handle();
    const held = new Promise<void>((resolve) => (this.release = resolve));
    this.arrived?.();
    return from(held).pipe(switchMap(() => next.handle()));
  }
}

/** The sample app with the probe among its providers. */
async function startProbedApp(env: Record<string, string>, probe: Probe): Promise<RunningApp> {
  const register = AppModule.register.bind(AppModule);
  const spy = jest.spyOn(AppModule, 'register').mockImplementation((config): DynamicModule => {
    const module = register(config);
    return {
      ...module,
      providers: [...(module.providers ?? []), { provide: APP_INTERCEPTOR, useValue: probe }],
    };
  });
  try {
    return await startSampleApp(env);
  } finally {
    spy.mockRestore();
  }
}

/** A request to one operation. */
interface Call {
  key?: string | null;
  params?: Record<string, string>;
  query?: string;
  headers?: Record<string, string>;
  /** JSON body, serialised. */
  json?: unknown;
  /** Raw body, with its Content-Type in `headers`. */
  body?: string | Buffer;
}

/** What the test knows of each route of the sample app: how to make it succeed and fail. */
interface Fixture {
  /** A key every check before the handler admits; absent on a public route. */
  key?: string;
  params?: Record<string, string>;
  query?: string;
  /** A valid body, fresh for each call. */
  body?: () => unknown;
  /** The route never succeeds (it exists to fail). */
  noSuccess?: boolean;
  /** A key that lacks the route's scope. */
  lacksScope?: string;
  /** Path parameters naming another organization. */
  otherTenant?: Record<string, string>;
  /** A key whose plan lacks the route's feature. */
  notEntitled?: string;
  /** A request that fails validation. */
  invalid?: Call;
  /** Requests that make the handler throw what `@ApiErrorResponse` declares, by example key. */
  declared?: Record<string, (send: (call: Call) => Promise<Reply>) => Promise<Reply>>;
}

let slot = 0;
/** A booking no other request has taken: its own service and start. */
function booking() {
  const start = Date.UTC(2030, 0, 1, 9) + slot++ * 3_600_000;
  return {
    serviceId: `svc_${randomUUID()}`,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 1_800_000).toISOString(),
    customer: { name: 'Ada', phone: '+31612345678' },
    items: [{ sku: 'cut', qty: 1 }],
  };
}

const conflict: NonNullable<Fixture['declared']>[string] = async (send) => {
  const body = booking();
  const first = await send({ json: body });
  if (first.status !== 201) throw new Error(`the first booking got ${first.status}`);
  return send({ json: body });
};

const bookings: Fixture = {
  key: DEMO_KEYS.authority,
  body: booking,
  lacksScope: DEMO_KEYS.local,
  invalid: { json: {} },
  declared: { conflict },
};

const FIXTURES: Record<string, Fixture> = {
  'GET /v1/health': {},
  'GET /v1/boom': { key: DEMO_KEYS.authority, noSuccess: true },
  'GET /v1/legacy-error': { key: DEMO_KEYS.authority, noSuccess: true },
  'GET /v1/maintenance': {
    key: DEMO_KEYS.authority,
    noSuccess: true,
    declared: { service_unavailable: (send) => send({}) },
  },
  'POST /v1/echo': { key: DEMO_KEYS.authority, body: () => ({ hello: 'world' }) },
  'GET /v1/locations': {
    key: DEMO_KEYS.authority,
    query: '?limit=2',
    invalid: { query: '?limit=abc' },
  },
  'GET /v1/locations/{id}': {
    key: DEMO_KEYS.authority,
    params: { id: 'loc_lisbon' },
    declared: { not_found: (send) => send({ params: { id: 'loc_nowhere' } }) },
  },
  'GET /v1/me': { key: DEMO_KEYS.authority },
  'GET /v1/keys/{keyId}/audit-events': {
    key: DEMO_KEYS.authority,
    params: { keyId: 'key_1' },
    declared: { not_found: (send) => send({ params: { keyId: 'key_network' } }) },
  },
  'DELETE /v1/keys/{keyId}': {
    key: DEMO_KEYS.authority,
    // Revoking the expired key changes nothing another request here depends on.
    params: { keyId: 'key_expired' },
    declared: { not_found: (send) => send({ params: { keyId: 'key_network' } }) },
  },
  'GET /v1/stores/{storeId}/orders': {
    key: DEMO_KEYS.authority,
    params: { storeId: 'org_a' },
    otherTenant: { storeId: 'org_b' },
  },
  'GET /v1/bookings': { key: DEMO_KEYS.authority },
  'POST /v1/bookings': bookings,
  'POST /v1/bookings/zod': bookings,
  'GET /v1/reports': { key: DEMO_KEYS.authority, notEntitled: DEMO_KEYS.local },
  'GET /v1/exports': { key: DEMO_KEYS.authority, notEntitled: DEMO_KEYS.local },
  'GET /v1/analytics': { key: DEMO_KEYS.authority },
  'GET /v1/webhooks': { key: DEMO_KEYS.addon, notEntitled: DEMO_KEYS.authority },
};

/** The configurations the contract is checked in: near the defaults, and every option turned. */
const CONFIGS: [string, Record<string, string>][] = [
  // Limits low enough to use up within a test; the document differs only in its numbers.
  ['default', { RATE_LIMIT_PER_MINUTE: '20', AUTH_FAILURES_PER_MINUTE: '30' }],
  [
    'options turned',
    {
      RATE_LIMIT_PER_MINUTE: '20',
      AUTH_FAILURES_PER_MINUTE: '30',
      ERROR_TYPE_BASE_URI: 'https://api.example.com/errors/',
      RATE_LIMIT_IETF_HEADERS: 'true',
      IDEMPOTENCY_REQUIRED: 'true',
      VALIDATION_STATUS: '400',
    },
  ],
];

const CASES: [string, HttpPlatform, ErrorFormatName, Record<string, string>][] = CONFIGS.flatMap(
  ([name, env]) =>
    MATRIX.map(
      ([platform, format]): [string, HttpPlatform, ErrorFormatName, Record<string, string>] => [
        name,
        platform,
        format,
        env,
      ],
    ),
);

describe.each(CASES)(
  'the OpenAPI contract, %s, on %s, %s format',
  (_name, platform, format, env) => {
    const probe = new Probe();
    let running: RunningApp;
    let document: OpenApiDoc;
    let checker: ContractChecker;

    beforeAll(async () => {
      running = await startProbedApp(
        { HTTP_PLATFORM: platform, ERROR_FORMAT: format, ...env },
        probe,
      );
      document = (await request(`${running.url}/docs-json`)).json as OpenApiDoc;
      checker = new ContractChecker(document);
    });
    afterAll(() => running.close());

    /** Sends `call` to the operation, with the fixture's key, parameters and body unless given. */
    function sender(operationKey: string) {
      const [method, template] = operationKey.split(' ');
      const fixture = FIXTURES[operationKey];
      const idempotent = documentedHeader(operationKey, 'Idempotency-Key');
      return (call: Call = {}): Promise<Reply> => {
        const params = { ...fixture.params, ...call.params };
        const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => params[name]);
        const headers: Record<string, string> = {};
        const key = call.key === undefined ? fixture.key : call.key;
        if (key) headers['x-api-key'] = key;
        // Every request to an idempotent route is a new one unless the call says otherwise.
        if (idempotent) headers['idempotency-key'] = randomUUID();
        Object.assign(headers, call.headers);
        for (const name of Object.keys(headers)) if (headers[name] === '') delete headers[name];
        const json = call.json ?? (call.body === undefined ? fixture.body?.() : undefined);
        return request(`${running.url}${path}${call.query ?? fixture.query ?? ''}`, {
          method,
          headers,
          ...(call.body !== undefined ? { body: call.body } : json !== undefined ? { json } : {}),
        });
      };
    }

    function documentedHeader(operationKey: string, name: string): boolean {
      const [method, path] = operationKey.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];
      return (operation?.parameters ?? []).some((p) => p.in === 'header' && p.name === name);
    }

    /** Every documented error example of an operation: its status and key. */
    function examples(operationKey: string): [string, string][] {
      const [method, path] = operationKey.split(' ');
      const operation = document.paths[path][method.toLowerCase()];
      return Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, response]) =>
          Object.values(response.content ?? {}).flatMap((media) =>
            Object.keys(media.examples ?? {}).map((key): [string, string] => [status, key]),
          ),
        );
    }

    /**
     * The answer to one documented example, as it is to be checked: what is wrong with it, if
     * anything (its status, body, headers, and how it differs from the example).
     */
    function verify(operationKey: string, status: string, key: string, reply: Reply): string[] {
      const found = checker.mismatches(operationKey, reply);
      if (String(reply.status) !== status) {
        return [
          `${operationKey} ${key}: answered ${reply.status} ${reply.text}, documented ${status}`,
        ];
      }
      // A validation example shows the failure of an empty request; the test sends another.
      if (key !== 'validation_error') {
        const example = checker.example(operationKey, status, key);
        const id = reply.headers.get('x-request-id') ?? '';
        if (
          JSON.stringify(comparable(reply.json, EXAMPLE_ID, id)) !==
          JSON.stringify(comparable(example, EXAMPLE_ID, id))
        ) {
          found.push(
            `${operationKey} ${key}: body ${reply.text} differs from its example ${JSON.stringify(example)}`,
          );
        }
      }
      return found;
    }

    /** Provokes one documented error of an operation; undefined for the later, stateful phases. */
    async function provoke(operationKey: string, key: string): Promise<Reply | undefined> {
      const fixture = FIXTURES[operationKey];
      const send = sender(operationKey);
      const deep = '['.repeat(200) + ']'.repeat(200);
      switch (key) {
        case 'unauthorized':
          return send({ key: null });
        case 'forbidden.scopes':
          return send({ key: fixture.lacksScope });
        case 'forbidden.tenant':
          return send({ params: fixture.otherTenant });
        case 'feature_not_entitled':
          return send({ key: fixture.notEntitled });
        case 'bad_request.url':
          return send({
            params: Object.fromEntries(
              Object.keys(fixture.params ?? {}).map((p) => [p, '%E0%A4%A']),
            ),
          });
        case 'bad_request.uri_too_long':
          return send({
            params: Object.fromEntries(
              Object.keys(fixture.params ?? {}).map((p) => [p, 'x'.repeat(101)]),
            ),
          });
        case 'unsupported_media_type':
          return send({ body: 'plain text', headers: { 'content-type': 'text/plain' } });
        case 'unsupported_media_type.content_encoding':
          return send({
            body: gzipSync(JSON.stringify(fixture.body?.() ?? {})),
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          });
        case 'bad_request.invalid_json':
          return send({ body: '{"serviceId":', headers: { 'content-type': 'application/json' } });
        case 'payload_too_large':
          return send({
            body: JSON.stringify({ notes: 'x'.repeat(BODY_LIMIT_BYTES) }),
            headers: { 'content-type': 'application/json' },
          });
        case 'bad_request.body_too_deep':
          return send({ body: deep, headers: { 'content-type': 'application/json' } });
        case 'bad_request.idempotency_key':
          return send({ headers: { 'idempotency-key': 'not a key!' } });
        case 'bad_request.idempotency_key_missing':
          return send({ headers: { 'idempotency-key': '' } });
        case 'idempotency_key_reused': {
          const idempotencyKey = randomUUID();
          const first = await send({ headers: { 'idempotency-key': idempotencyKey } });
          if (first.status >= 300) throw new Error(`the first request got ${first.status}`);
          return send({ headers: { 'idempotency-key': idempotencyKey } });
        }
        case 'idempotency_key_in_use': {
          const idempotencyKey = randomUUID();
          const json = fixture.body?.();
          const arrived = probe.arrival();
          const held = send({
            json,
            headers: { 'idempotency-key': idempotencyKey, 'x-contract-probe': 'hold' },
          });
          await arrived;
          const second = await send({ json, headers: { 'idempotency-key': idempotencyKey } });
          probe.releaseHeld();
          const first = await held;
          if (first.status !== 201) throw new Error(`the held request got ${first.status}`);
          return second;
        }
        case 'validation_error':
          return send(fixture.invalid);
        case 'internal_error':
          return send({ headers: { 'x-contract-probe': 'fail' } });
        case 'rate_limit_exceeded':
        case 'rate_limit_exceeded.failed_authentications':
          return undefined;
        default: {
          const declared = fixture.declared?.[key];
          if (!declared) throw new Error(`${operationKey}: no way to provoke ${key}`);
          return declared(send);
        }
      }
    }

    it('documents every route of the app, and only those', () => {
      expect([...operationsOf(document).keys()].sort()).toEqual(Object.keys(FIXTURES).sort());
    });

    it.each(Object.keys(FIXTURES))(
      '%s: every documented error is answered as documented',
      async (operationKey) => {
        const failures: string[] = [];
        for (const [status, key] of examples(operationKey)) {
          const reply = await provoke(operationKey, key);
          if (reply) failures.push(...verify(operationKey, status, key, reply));
        }
        expect(failures).toEqual([]);
      },
    );

    it.each(Object.keys(FIXTURES))(
      '%s: a success is answered as documented',
      async (operationKey) => {
        const fixture = FIXTURES[operationKey];
        const send = sender(operationKey);
        const failures: string[] = [];
        if (!fixture.noSuccess) {
          const reply = await send();
          expect(reply.status).toBeLessThan(300);
          failures.push(...checker.mismatches(operationKey, reply));
        }
        if (format === 'laravel') {
          // Precognition: every check but the handler; a valid request gets 204.
          const reply = await send({ headers: { precognition: 'true' } });
          expect(reply.status).toBe(204);
          failures.push(...checker.mismatches(operationKey, reply));
        }
        expect(failures).toEqual([]);
      },
    );

    it('answers 429 rate_limit_exceeded as documented once a key has used its limits', async () => {
      const failures: string[] = [];
      const limited = Object.keys(FIXTURES).filter((k) =>
        examples(k).some(([, key]) => key === 'rate_limit_exceeded'),
      );
      expect(limited.length).toBeGreaterThan(0);
      // Use up each key's minute: the routes' own checks pass, the limiter refuses.
      for (const key of new Set(limited.map((k) => FIXTURES[k].key as string))) {
        let reply = await request(`${running.url}/v1/me`, { headers: { 'x-api-key': key } });
        for (let left = Number(reply.headers.get('x-ratelimit-remaining')); left > 0; left--) {
          reply = await request(`${running.url}/v1/me`, { headers: { 'x-api-key': key } });
        }
      }
      for (const operationKey of limited) {
        const reply = await sender(operationKey)();
        failures.push(...verify(operationKey, '429', 'rate_limit_exceeded', reply));
      }
      expect(failures).toEqual([]);
    });

    it('answers 429 to a client past its failed authentications as documented', async () => {
      const failures: string[] = [];
      const guarded = Object.keys(FIXTURES).filter((k) =>
        examples(k).some(([, key]) => key === 'rate_limit_exceeded.failed_authentications'),
      );
      expect(guarded.length).toBeGreaterThan(0);
      // The configured limit is 30 failures a minute: the 31st attempt at the latest is refused.
      let reply: Reply | undefined;
      for (let attempt = 0; attempt <= 30 && reply?.status !== 429; attempt++) {
        reply = await request(`${running.url}/v1/me`, { headers: { 'x-api-key': 'wrong' } });
      }
      expect(reply?.status).toBe(429);
      for (const operationKey of guarded) {
        const answer = await sender(operationKey)({ key: 'wrong' });
        failures.push(
          ...verify(operationKey, '429', 'rate_limit_exceeded.failed_authentications', answer),
        );
      }
      expect(failures).toEqual([]);
    });
  },
);
