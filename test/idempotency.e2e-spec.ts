import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ErrorFormatName } from 'nest-api-errors';
import {
  FORMATS,
  MATRIX,
  PLATFORMS,
  STATUS_PHRASES,
  contentTypeOf,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import { startOriginsApp } from './support/origins.module.js';
import { expectErrorShape } from './support/error-shape.js';
import { OwnRedis, spawnSampleApp, type SampleProcess } from './support/processes.js';
import { redisEnv } from './support/real-redis.js';

const STORES = ['memory', 'redis'] as const;

/** A valid booking on a slot of its own. */
let slot = 0;
function booking(serviceId = `svc_${randomUUID()}`) {
  slot += 1;
  const day = String((slot % 28) + 1).padStart(2, '0');
  return {
    serviceId,
    startsAt: `2027-01-${day}T09:00:00Z`,
    endsAt: `2027-01-${day}T10:00:00Z`,
    customer: { name: 'Ada', phone: '+31612345678' },
    items: [{ sku: 'CUT-1', qty: 1 }],
  };
}

const CASES = PLATFORMS.flatMap((platform) =>
  STORES.flatMap((store) => FORMATS.map((format) => [platform, store, format] as const)),
);

describe.each(CASES)('Idempotency-Key on %s, %s store, %s format', (platform, store, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({
      HTTP_PLATFORM: platform,
      ERROR_FORMAT: format,
      ...(store === 'redis' ? redisEnv(`test:${randomUUID()}:`) : {}),
    });
  });
  afterAll(() => running.close());

  const post = (body: unknown, idempotencyKey?: string, key: string = DEMO_KEYS.authority) =>
    request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      json: body,
    });
  const executions = async (serviceId: string, key: string = DEMO_KEYS.authority) => {
    const reply = await request(`${running.url}/v1/bookings`, { headers: { 'x-api-key': key } });
    return (reply.json as { bookings: { serviceId: string }[] }).bookings.filter(
      (b) => b.serviceId === serviceId,
    ).length;
  };
  const idOf = (reply: Reply) => reply.headers.get('x-request-id') ?? '';

  it('replays the stored response byte for byte, with a fresh request id, without running again', async () => {
    const body = booking();
    const key = randomUUID();
    const first = await post(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(body, `"${key}"`);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(idOf(again)).not.toBe(idOf(first));
    expect(await executions(body.serviceId)).toBe(1);
    // Replays still count against the rate limit.
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBeLessThan(
      Number(first.headers.get('x-ratelimit-remaining')),
    );
  });

  it('answers the same key with another body with 422 idempotency_key_reused, revealing nothing', async () => {
    const key = randomUUID();
    const first = await post(booking(), key);
    expect(first.status).toBe(201);
    const reused = await post(booking(), key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toBe(contentTypeOf(format));
    const message = 'This Idempotency-Key was already used with a different request';
    expect(reused.json).toEqual(
      expectedError(format, 'idempotency_key_reused', 422, message, idOf(reused)),
    );
    expect(reused.text).not.toContain('book_');
  });

  it('runs 20 concurrent identical requests once; the rest get 409 with Retry-After: 1 or the replay', async () => {
    const body = booking();
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(body, key)));
    expect(await executions(body.serviceId)).toBe(1);
    const created = replies.filter((r) => r.status === 201);
    const inUse = replies.filter((r) => r.status === 409);
    expect(created.length + inUse.length).toBe(20);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    for (const reply of inUse) {
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.json).toEqual(
        expectedError(
          format,
          'idempotency_key_in_use',
          409,
          'A request with this Idempotency-Key is still being processed',
          idOf(reply),
        ),
      );
    }
  });

  it('does not store a validation failure: the corrected retry runs', async () => {
    const key = randomUUID();
    const body = booking();
    const invalid = await post({ ...body, customer: { name: 'Ada' } }, key);
    expect(invalid.status).toBe(422);
    const corrected = await post(body, key);
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    expect(await executions(body.serviceId)).toBe(1);
  });

  it('does not store 401 or 403: they never claim the key', async () => {
    const key = randomUUID();
    const body = booking();
    expect((await post(body, key, 'not_a_key')).status).toBe(401);
    expect((await post(body, key, DEMO_KEYS.local)).status).toBe(403); // no bookings:write
    const ok = await post(body, key);
    expect(ok.status).toBe(201);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
  });

  it("stores the handler's own 4xx and replays it", async () => {
    const body = booking();
    expect((await post(body, randomUUID())).status).toBe(201);
    const key = randomUUID();
    const conflict = await post(body, key);
    expect(conflict.status).toBe(409);
    const again = await post(body, key);
    expect(again.status).toBe(409);
    expect(again.text).toBe(conflict.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keeps principals apart: another organization with the same key runs its own request', async () => {
    const key = randomUUID();
    const body = booking();
    expect((await post(body, key)).status).toBe(201);
    const other = await post(body, key, DEMO_KEYS.network);
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await executions(body.serviceId, DEMO_KEYS.network)).toBe(1);
  });

  it.each(['has space', 'k'.repeat(256), '"unterminated', 'a;b'])(
    'answers the key %j with 400',
    async (key) => {
      const reply = await post(booking(), key);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual(
        expectedError(
          format,
          'bad_request',
          400,
          'The Idempotency-Key header must be 1-255 characters of A-Z a-z 0-9 _ - : .',
          idOf(reply),
        ),
      );
    },
  );
});

/** A simple (non-validation) error body in `format`. */
function expectedError(
  format: ErrorFormatName,
  code: string,
  status: number,
  message: string,
  id: string,
) {
  switch (format) {
    case 'flat':
      return { error: code, status };
    case 'problem':
      return {
        type: 'about:blank',
        title: STATUS_PHRASES[status],
        status,
        detail: message,
        instance: id,
        code,
      };
    case 'nested':
      return {
        error: { code: code === 'bad_request' ? 'INVALID_REQUEST' : code.toUpperCase(), message },
        request_id: id,
      };
    case 'laravel':
      return { error: message };
  }
}

describe.each(PLATFORMS)('Idempotency-Key options on %s', (platform) => {
  it('answers a missing key with 400 when IDEMPOTENCY_REQUIRED=true', async () => {
    const running = await startSampleApp({ HTTP_PLATFORM: platform, IDEMPOTENCY_REQUIRED: 'true' });
    try {
      const reply = await request(`${running.url}/v1/bookings`, {
        method: 'POST',
        headers: { 'x-api-key': DEMO_KEYS.authority },
        json: booking(),
      });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ error: 'bad_request', status: 400 });
    } finally {
      await running.close();
    }
  });

  it('expires records after the TTL (injectable clock)', async () => {
    let now = Date.parse('2027-03-01T00:00:00Z');
    const running = await startOriginsApp(platform, {
      clock: () => now,
      idempotency: { ttlMs: 86_400_000 },
    });
    try {
      const call = () =>
        request(`${running.url}/o/idem`, {
          method: 'POST',
          headers: { 'idempotency-key': 'ttl-key' },
          json: { a: 1 },
        });
      const first = (await call()).json as { execution: number };
      now += 86_400_000 - 1;
      const replayed = await call();
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect((replayed.json as { execution: number }).execution).toBe(first.execution);
      now += 2;
      const after = await call();
      expect(after.headers.get('idempotent-replayed')).toBeNull();
      expect((after.json as { execution: number }).execution).toBe(first.execution + 1);
    } finally {
      await running.close();
    }
  });
});

describe.each(PLATFORMS)('Idempotency-Key across two %s processes sharing Redis', (platform) => {
  const processes: SampleProcess[] = [];
  afterAll(() => Promise.all(processes.map((p) => p.stop())));

  it('runs the handler once for 20 concurrent duplicates split across both', async () => {
    const env = { HTTP_PLATFORM: platform, ...redisEnv(`test:${randomUUID()}:`) };
    processes.push(await spawnSampleApp(env), await spawnSampleApp(env));
    const body = booking();
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(`${processes[i % 2].url}/v1/bookings`, {
          method: 'POST',
          headers: { 'x-api-key': DEMO_KEYS.authority, 'idempotency-key': key },
          json: body,
        }),
      ),
    );
    expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    let total = 0;
    for (const process of processes) {
      const list = await request(`${process.url}/v1/bookings`, {
        headers: { 'x-api-key': DEMO_KEYS.authority },
      });
      total += (list.json as { bookings: { serviceId: string }[] }).bookings.filter(
        (b) => b.serviceId === body.serviceId,
      ).length;
    }
    expect(total).toBe(1);
  });
});

describe('an idempotent request answered 503 while Redis is frozen', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await OwnRedis.start();
  });
  afterAll(() => redis.stop());

  describe.each(MATRIX)('on %s, %s format', (platform, format) => {
    // Issue #13, item 2: the claim sent before the timeout ran once Redis went on, and every
    // retry of the key got 409 idempotency_key_in_use for lockTtlMs (60 s).
    it('leaves no claim behind: the retry after Retry-After runs', async () => {
      const running = await startSampleApp({
        HTTP_PLATFORM: platform,
        ERROR_FORMAT: format,
        REDIS_URL: redis.url,
        REDIS_PREFIX: `test:${randomUUID()}:`,
      });
      const key = randomUUID();
      const body = booking();
      const post = () =>
        request(`${running.url}/v1/bookings`, {
          method: 'POST',
          headers: { 'x-api-key': DEMO_KEYS.authority, 'idempotency-key': key },
          json: body,
        });
      try {
        redis.pause();
        const refused = await post();
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('1');
        expectErrorShape(format, refused);
        await redis.resume();
        // The retry's claim follows the refused one on the same connection, so Redis has run
        // whatever the refused request sent before it answers this one.
        const retry = await post();
        expect(retry.status).toBe(201);
        expect(retry.headers.get('idempotent-replayed')).toBeNull();
      } finally {
        await redis.resume();
        await running.close();
      }
    });
  });
});

describe.each(MATRIX)('the Idempotency-Key fingerprint on %s, %s format', (platform, format) => {
  // Issue #13, item 7: a body differing only inside __proto__ was replayed.
  it('tells apart bodies that differ only inside __proto__', async () => {
    // Fastify's parser keeps the key only when told to, as Express' always does.
    const running = await startOriginsApp(platform, { format }, false, {
      onProtoPoisoning: 'ignore',
    });
    try {
      const post = (inside: number) =>
        request(`${running.url}/o/idem`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'proto-key' },
          body: `{"a":1,"__proto__":{"x":${inside}}}`,
        });
      expect((await post(1)).status).toBe(201);
      const reused = await post(2);
      expect(reused.status).toBe(422);
      expect(reused.json).toEqual(
        expectedError(
          format,
          'idempotency_key_reused',
          422,
          'This Idempotency-Key was already used with a different request',
          reused.headers.get('x-request-id') ?? '',
        ),
      );
    } finally {
      await running.close();
    }
  });
});
