import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  MATRIX,
  PLATFORMS,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { expectErrorShape } from './support/error-shape.js';
import { DEMO_KEYS } from './support/keys.js';
import { setNextThrow, startOriginsApp } from './support/origins.module.js';
import { OwnRedis, waitFor } from './support/processes.js';

/** Limits high enough that only the inputs decide the answers. */
const CALM = {
  AUTH_FAILURES_PER_MINUTE: '0',
  RATE_LIMIT_PER_MINUTE: '1000000',
  RATE_LIMIT_PER_HOUR: '1000000',
};
const RUNS = { numRuns: 40 };
const AUTH = { 'x-api-key': DEMO_KEYS.authority };

/** Header names a client may send with fetch, known ones most of the time. */
const headerName = fc.oneof(
  fc.constantFrom(
    'x-api-key',
    'x-request-id',
    'idempotency-key',
    'content-type',
    'authorization',
    'x-forwarded-for',
    'accept',
    'x-organization-id',
  ),
  fc.stringMatching(/^x-[a-z0-9-]{1,16}$/),
);
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,120}[\x21-\x7e]$|^[\x21-\x7e]?$/);

/** Sends raw bytes with raw headers; resolves with whatever came back, even after a reset. */
function rawSend(
  url: string,
  path: string,
  headers: Record<string, string | number>,
  body: Buffer,
): Promise<{ status: number; text: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (error) => resolve({ error: error.message }));
    });
    // The server may answer (413) and close before reading everything: that is fine.
    req.on('error', (error) => resolve({ error: error.message }));
    const size = 64 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + size);
        offset += size;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function expectNoPollution() {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

describe.each(MATRIX)('robustness on %s, %s format', (platform, format) => {
  let app: RunningApp;
  let origins: RunningApp;

  beforeAll(async () => {
    app = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format, ...CALM });
    origins = await startOriginsApp(platform, { format });
  });
  afterAll(async () => {
    await app.close();
    await origins.close();
  });

  /** A success, or an error in the format's contract; never a 500 unless `allow500`. */
  function expectAnswered(reply: Reply, allow500 = false) {
    if (reply.status < 400) return;
    expectErrorShape(format, reply);
    if (!allow500) expect(reply.status).toBeLessThan(500);
  }

  it('answers random JSON bodies with a success or a well-formed 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.boolean(), async (value, toBookings) => {
        const reply = await request(`${app.url}${toBookings ? '/v1/bookings' : '/v1/echo'}`, {
          method: 'POST',
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify(value),
        });
        expectAnswered(reply);
      }),
      RUNS,
    );
  });

  it('answers random headers with a success or a well-formed 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(headerName, headerValue, { maxKeys: 6 }), async (headers) => {
        const reply = await request(`${app.url}/v1/me`, { headers });
        expectAnswered(reply);
        const id = reply.headers.get('x-request-id') ?? '';
        expect(id).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
      }),
      RUNS,
    );
  });

  it('answers random query strings with a success or a well-formed 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 6 }),
        async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const reply = await request(`${app.url}/v1/locations?${query}`, { headers: AUTH });
          expectAnswered(reply);
          expectNoPollution();
        },
      ),
      RUNS,
    );
  });

  it('answers any thrown value with a masked 500 that leaks nothing of it', async () => {
    const secretive = fc.oneof(
      fc.anything(),
      fc.string().map((s) => `SECRET${s}`),
      fc.record({
        status: fc.integer(),
        statusCode: fc.integer(),
        message: fc.constant('SECRET message'),
      }),
      fc.string().map((s) => new Error(`SECRET ${s}`)),
      fc
        .integer()
        .map((status) => Object.assign(new Error('SECRET'), { status, statusCode: status })),
    );
    await fc.assert(
      fc.asyncProperty(secretive, async (value) => {
        setNextThrow(value);
        const reply = await request(`${origins.url}/o/throw-next`);
        expect(reply.status).toBe(500);
        expectErrorShape(format, reply);
        expect(reply.text).not.toContain('SECRET');
      }),
      RUNS,
    );
  });

  it('answers a 10 MB body with 413 and keeps serving', async () => {
    const body = Buffer.alloc(10 * 1024 * 1024, 'a');
    body.write('{"a":"', 0);
    const reply = await rawSend(
      app.url,
      '/v1/echo',
      { ...AUTH, 'content-type': 'application/json', 'content-length': body.length },
      body,
    );
    if ('status' in reply) expect(reply.status).toBe(413);
    expect((await request(`${app.url}/v1/health`)).status).toBe(200);
  });

  it('answers 1,000-level nesting with 400, never a 500', async () => {
    const deep = '{"a":'.repeat(1000) + '1' + '}'.repeat(1000);
    for (const path of ['/v1/echo', '/v1/bookings']) {
      const reply = await request(`${app.url}${path}`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: deep,
      });
      expectAnswered(reply);
      expect(reply.status).toBe(400);
    }
    const array = await request(`${app.url}/v1/echo`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '['.repeat(5000) + ']'.repeat(5000),
    });
    expectAnswered(array);
    expect(array.status).toBe(400);
  });

  it('answers invalid UTF-8 without a 500', async () => {
    const body = Buffer.concat([
      Buffer.from('{"serviceId":"'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    for (const path of ['/v1/echo', '/v1/bookings']) {
      const reply = await rawSend(
        app.url,
        path,
        { ...AUTH, 'content-type': 'application/json', 'content-length': body.length },
        body,
      );
      expect('status' in reply && reply.status < 500).toBe(true);
    }
  });

  it('answers 8 KB header values without a 500', async () => {
    const big = 'k'.repeat(8 * 1024);
    const key = await request(`${app.url}/v1/me`, { headers: { 'x-api-key': big } });
    expect(key.status).toBe(401);
    const id = await request(`${app.url}/v1/me`, { headers: { ...AUTH, 'x-request-id': big } });
    expect(id.status).toBe(200);
    expect(id.headers.get('x-request-id')).toMatch(/^req_/);
    const idem = await request(`${app.url}/v1/bookings`, {
      method: 'POST',
      headers: { ...AUTH, 'idempotency-key': big },
      json: {},
    });
    expect(idem.status).toBe(400);
    expectErrorShape(format, idem);
  });

  it('keeps __proto__, constructor and unicode keys from polluting anything, in bodies, queries and keys', async () => {
    const hostile =
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"ключ":"值","customer":{"__proto__":{"polluted":1}}}';
    for (const path of ['/v1/echo', '/v1/bookings']) {
      const reply = await request(`${app.url}${path}`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': '__proto__' },
        body: hostile,
      });
      expectAnswered(reply);
      expectNoPollution();
    }
    const query = await request(
      `${app.url}/v1/locations?__proto__[polluted]=1&constructor[prototype][polluted]=1&limit=2`,
      { headers: AUTH },
    );
    expectAnswered(query);
    const constructorKey = await request(`${app.url}/v1/bookings`, {
      method: 'POST',
      headers: { ...AUTH, 'idempotency-key': 'constructor' },
      json: { notes: 'x' },
    });
    expect(constructorKey.status).toBe(422);
    expectNoPollution();
    expect((await request(`${app.url}/v1/health`)).status).toBe(200);
  });
});

describe.each(PLATFORMS)('Redis faults under load on %s', (platform) => {
  it('never answers 500, recovers within 5 s of Redis returning, and never runs a request twice', async () => {
    const redis = await OwnRedis.start();
    const running = await startSampleApp({
      HTTP_PLATFORM: platform,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `test:${randomUUID()}:`,
      ...CALM,
    });
    const statuses = new Map<number, number>();
    const serviceIds: string[] = [];
    let sent = 0;
    /** One booking, sent twice with the same key (a retry), and a read. */
    const step = async (i: number) => {
      const serviceId = `svc_fault_${i}_${randomUUID()}`;
      serviceIds.push(serviceId);
      const body = {
        serviceId,
        startsAt: '2027-02-01T09:00:00Z',
        endsAt: '2027-02-01T10:00:00Z',
        customer: { name: 'Ada', phone: '+31612345678' },
        items: [{ sku: 'A', qty: 1 }],
      };
      const key = randomUUID();
      for (let attempt = 0; attempt < 2; attempt++) {
        const reply = await request(`${running.url}/v1/bookings`, {
          method: 'POST',
          headers: { ...AUTH, 'idempotency-key': key },
          json: body,
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      }
      const read = await request(`${running.url}/v1/me`, { headers: AUTH });
      statuses.set(read.status, (statuses.get(read.status) ?? 0) + 1);
      sent += 3;
    };
    try {
      const load = async (from: number, to: number) => {
        for (let i = from; i < to; i += 5)
          await Promise.all([0, 1, 2, 3, 4].map((j) => step(i + j)));
      };
      await load(0, 40);
      await redis.stop();
      await load(40, 80);
      await redis.restart();
      const back = Date.now();
      // Recovery: idempotent requests run again (no more 503) within 5 s.
      let recovered = false;
      while (Date.now() - back < 5000 && !recovered) {
        const reply = await request(`${running.url}/v1/bookings`, {
          method: 'POST',
          headers: { ...AUTH, 'idempotency-key': randomUUID() },
          json: { notes: 'probe' },
        });
        recovered = reply.status === 422;
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(recovered).toBe(true);
      await load(80, 120);

      expect(sent).toBe(360);
      expect(statuses.get(500)).toBeUndefined();
      expect([...statuses.keys()].every((s) => [200, 201, 409, 503].includes(s))).toBe(true);
      expect(statuses.get(503)).toBeGreaterThan(0); // idempotency fails closed while Redis is down
      const list = await request(`${running.url}/v1/bookings`, { headers: AUTH });
      const bookings = (list.json as { bookings: { serviceId: string }[] }).bookings;
      for (const serviceId of serviceIds) {
        expect(bookings.filter((b) => b.serviceId === serviceId).length).toBeLessThanOrEqual(1);
      }
    } finally {
      await running.close();
      await redis.stop();
    }
  });
});

describe.each(PLATFORMS)('the log during a Redis outage on %s', (platform) => {
  // Issue #13, item 4: every 503 was logged as an error with ioredis' stack, one per request.
  it.each(['open', 'closed'])(
    'holds a warning per store with counts, never an error per request (rate limits fail %s)',
    async (mode) => {
      const redis = await OwnRedis.start();
      const running = await startSampleApp({
        HTTP_PLATFORM: platform,
        REDIS_URL: redis.url,
        REDIS_PREFIX: `test:${randomUUID()}:`,
        RATE_LIMIT_FAIL_CLOSED: String(mode === 'closed'),
        ...CALM,
      });
      const post = () =>
        request(`${running.url}/v1/bookings`, {
          method: 'POST',
          headers: { ...AUTH, 'idempotency-key': randomUUID() },
          json: { notes: 'outage' },
        });
      try {
        await redis.stop();
        const from = running.logger.lines.length;
        for (let i = 0; i < 30; i++) expect((await post()).status).toBe(503);
        const outage = running.logger.lines.slice(from);
        expect(outage.filter((line) => line.level !== 'warn')).toEqual([]);
        // The first failure of each store, and at most one more line per store per 10 s.
        expect(outage.length).toBeGreaterThanOrEqual(1);
        expect(outage.length).toBeLessThanOrEqual(4);
        expect(outage.map((line) => line.text).join('\n')).not.toMatch(/\n\s+at /);

        await redis.restart();
        await waitFor(async () => (await post()).status === 422, 5000, 'Redis answering again');
        const store = mode === 'closed' ? 'Redis' : 'idempotency store';
        const back = new RegExp(`${store} answers again, after (\\d+) failed calls`).exec(
          running.logger.text('warn'),
        );
        expect(Number(back?.[1])).toBeGreaterThanOrEqual(30);
      } finally {
        await running.close();
        await redis.stop();
      }
    },
    20_000,
  );
});
