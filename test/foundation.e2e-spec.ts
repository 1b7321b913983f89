import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { DEMO_KEYS } from './support/keys.js';
import {
  MATRIX,
  PLATFORMS,
  REQUEST_ID,
  contentTypeOf,
  expectedBody,
  request as send,
  startSampleApp,
  type ExpectedError,
  type RunningApp,
} from './support/harness.js';
import { INTERNAL, METHOD_NOT_ALLOWED, NOT_FOUND } from './support/expected.js';

/** Sends raw bytes, for bodies fetch would not send as given. */
function rawPost(url: string, path: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>(
    (resolve, reject) => {
      const withKey = { 'x-api-key': DEMO_KEYS.authority, ...headers };
      const req = httpRequest(`${url}${path}`, { method: 'POST', headers: withKey }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
        });
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

/** Every /v1 route but health needs a key: these requests carry a valid one. */
function request(url: string, init: Parameters<typeof send>[1] = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has('x-api-key')) headers.set('x-api-key', DEMO_KEYS.authority);
  return send(url, { ...init, headers });
}

describe.each(MATRIX)('foundation on %s, %s format', (platform, format) => {
  let running: RunningApp;
  let url: string;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
    url = running.url;
  });
  afterAll(() => running.close());

  /** Checks the headers every error response carries and returns its request id. */
  function errorHeaders(
    reply: { status: number; headers: Headers },
    status: number,
    sentId?: string,
  ): string {
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const id = reply.headers.get('x-request-id') ?? '';
    if (sentId === undefined) expect(id).toMatch(REQUEST_ID);
    else expect(id).toBe(sentId);
    return id;
  }

  it('answers GET /v1/health with a generated request id', async () => {
    const reply = await request(`${url}/v1/health`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok' });
    expect(reply.headers.get('x-request-id')).toMatch(REQUEST_ID);
  });

  it('keeps a valid incoming request id and replaces invalid ones', async () => {
    const kept = await request(`${url}/v1/health`, {
      headers: { 'X-Request-Id': 'abc.DEF_123-x' },
    });
    expect(kept.headers.get('x-request-id')).toBe('abc.DEF_123-x');
    const max = 'a'.repeat(128);
    expect(
      (await request(`${url}/v1/health`, { headers: { 'X-Request-Id': max } })).headers.get(
        'x-request-id',
      ),
    ).toBe(max);
    for (const bad of ['a'.repeat(129), 'has space', 'semi;colon', 'ünïcode', '']) {
      const reply = await request(`${url}/v1/health`, { headers: { 'X-Request-Id': bad } });
      expect(reply.headers.get('x-request-id')).toMatch(REQUEST_ID);
    }
  });

  it('lists locations and finds one by id', async () => {
    const list = await request(`${url}/v1/locations`);
    expect(list.status).toBe(200);
    const { locations } = list.json as { locations: { id: string }[] };
    expect(locations.length).toBeGreaterThanOrEqual(2);
    const one = await request(`${url}/v1/locations/${locations[1].id}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ location: locations[1] });
  });

  it('answers an unknown location with 404 not_found and the handler message', async () => {
    const reply = await request(`${url}/v1/locations/loc_nowhere`, {
      headers: { 'X-Request-Id': 'req-404' },
    });
    errorHeaders(reply, 404, 'req-404');
    expect(reply.json).toEqual(
      expectedBody(format, { ...NOT_FOUND, message: 'Location not found' }, 'req-404'),
    );
  });

  it('answers an unknown route with 404 not_found that echoes nothing', async () => {
    const reply = await request(`${url}/v1/no/such/route?x=<script>`);
    const id = errorHeaders(reply, 404);
    expect(reply.json).toEqual(expectedBody(format, NOT_FOUND, id));
    expect(reply.text).not.toContain('script');
    const post = await request(`${url}/nowhere`, { method: 'DELETE' });
    expect(post.json).toEqual(expectedBody(format, NOT_FOUND, errorHeaders(post, 404)));
  });

  it.each([
    ['PUT', '/v1/health', 'GET, HEAD'],
    ['DELETE', '/v1/bookings?x=1', 'GET, HEAD, POST'],
    ['GET', '/v1/keys/key_local', 'DELETE'],
    ['POST', '/v1/stores/org_a/orders', 'GET, HEAD'],
    ['OPTIONS', '/v1/locations/loc_1', 'GET, HEAD'],
  ])(
    'answers %s %s, a known path with another method, with 405 and Allow: %s',
    async (method, path, allow) => {
      const reply = await request(`${url}${path}`, { method });
      const id = errorHeaders(reply, 405);
      expect(reply.headers.get('allow')).toBe(allow);
      expect(reply.json).toEqual(expectedBody(format, METHOD_NOT_ALLOWED, id));
    },
  );

  it('answers HEAD on a POST-only path with 405 and Allow, and no body', async () => {
    const reply = await request(`${url}/v1/echo`, { method: 'HEAD' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
    expect(reply.text).toBe('');
  });

  it.each(['/v1/boom', '/v1/legacy-error'])(
    'masks %s as a generic 500 and logs it once',
    async (path) => {
      const reply = await request(`${url}${path}`);
      const id = errorHeaders(reply, 500);
      expect(reply.json).toEqual(expectedBody(format, INTERNAL, id));
      expect(reply.text).not.toMatch(/secret|hunter2|\/srv|HttpException|\bat \w/);
      const logged = running.logger.lines.filter((l) => l.level === 'error' && l.text.includes(id));
      expect(logged).toHaveLength(1);
      expect(logged[0].text).toContain('secret');
      expect(logged[0].text).toContain(path);
    },
  );

  it('answers /v1/maintenance with 503 and Retry-After: 30', async () => {
    const reply = await request(`${url}/v1/maintenance`);
    const id = errorHeaders(reply, 503);
    expect(reply.headers.get('retry-after')).toBe('30');
    expect(reply.json).toEqual(
      expectedBody(
        format,
        {
          code: 'service_unavailable',
          status: 503,
          title: 'Service Unavailable',
          nestedCode: 'SERVICE_UNAVAILABLE',
          problemType: 'service_unavailable',
          message: 'Service temporarily unavailable',
          laravel: { message: 'Server Error' },
        },
        id,
      ),
    );
  });

  it('echoes a JSON body', async () => {
    const reply = await request(`${url}/v1/echo`, { method: 'POST', json: { a: 1, b: ['x'] } });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ a: 1, b: ['x'] });
  });

  const BAD_REQUEST: ExpectedError = {
    code: 'bad_request',
    status: 400,
    title: 'Bad Request',
    nestedCode: 'INVALID_REQUEST',
    problemType: 'bad_request',
    message: 'The request body is not valid JSON',
  };

  it.each(['{"a":', '{"a":1,}', "{'a':1}", 'nul', '{"a":"\\x"}'])(
    'answers malformed JSON %j with 400 and a fixed message',
    async (body) => {
      const reply = await request(`${url}/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const id = errorHeaders(reply, 400);
      expect(reply.json).toEqual(expectedBody(format, BAD_REQUEST, id));
    },
  );

  it('answers a body over 100 kB with 413 payload_too_large', async () => {
    const body = JSON.stringify({ a: 'x'.repeat(110 * 1024) });
    const reply = await request(`${url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const id = errorHeaders(reply, 413);
    expect(reply.json).toEqual(
      expectedBody(
        format,
        {
          code: 'payload_too_large',
          status: 413,
          title: 'Payload Too Large',
          nestedCode: 'PAYLOAD_TOO_LARGE',
          problemType: 'payload_too_large',
          message: 'The request body is too large',
        },
        id,
      ),
    );
  });

  it.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=1'],
    ['application/xml', '<a/>'],
    ['application/json; charset=latin1', '{}'],
    ['application/json; charset=utf-16', '{}'],
  ])('answers a %s body with 415 unsupported_media_type', async (type, body) => {
    const reply = await rawPost(url, '/v1/echo', { 'content-type': type }, Buffer.from(body));
    expect(reply.status).toBe(415);
    expect(reply.headers['content-type']).toBe(contentTypeOf(format));
    const id = String(reply.headers['x-request-id']);
    expect(reply.json).toEqual(
      expectedBody(
        format,
        {
          code: 'unsupported_media_type',
          status: 415,
          title: 'Unsupported Media Type',
          nestedCode: 'UNSUPPORTED_MEDIA_TYPE',
          problemType: 'unsupported_media_type',
          message: 'The request body must be JSON encoded as UTF-8',
        },
        id,
      ),
    );
  });

  it('accepts JSON with an explicit UTF-8 charset', async () => {
    for (const type of ['application/json; charset=UTF-8', 'application/json;charset="utf-8"']) {
      const reply = await rawPost(
        url,
        '/v1/echo',
        { 'content-type': type },
        Buffer.from('{"ok":true}'),
      );
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ ok: true });
    }
  });

  it("never answers with Nest's default error shape", async () => {
    for (const path of ['/v1/boom', '/missing', '/v1/maintenance', '/v1/locations/none']) {
      const reply = await request(`${url}${path}`);
      expect(reply.json).not.toHaveProperty('statusCode');
    }
  });

  it('keeps serving after every failure above', async () => {
    const reply = await request(`${url}/v1/health`);
    expect(reply.status).toBe(200);
  });
});

describe.each(PLATFORMS)('problem types on %s', (platform) => {
  const paths = ['/v1/no/such/route', '/v1/locations/loc_nowhere', '/v1/stores/org_b/orders'];
  const typesOf = async (url: string) => {
    const bodies: Record<string, unknown>[] = [];
    for (const path of paths) {
      const reply = await send(`${url}${path}`, {
        headers: { 'x-api-key': DEMO_KEYS.authority },
      });
      bodies.push(reply.json as Record<string, unknown>);
    }
    return bodies.map(({ type, title, code }) => ({ type, title, code }));
  };

  it('are about:blank by default, the same URI under every route, the name in code', async () => {
    const running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: 'problem' });
    try {
      expect(await typesOf(running.url)).toEqual([
        { type: 'about:blank', title: 'Not Found', code: 'not_found' },
        { type: 'about:blank', title: 'Not Found', code: 'not_found' },
        { type: 'about:blank', title: 'Forbidden', code: 'permission_error' },
      ]);
    } finally {
      await running.close();
    }
  });

  it('are absolute URIs under ERROR_TYPE_BASE_URI, titled per code', async () => {
    const base = 'https://bookings.example.com/errors/';
    const running = await startSampleApp({
      HTTP_PLATFORM: platform,
      ERROR_FORMAT: 'problem',
      ERROR_TYPE_BASE_URI: base,
    });
    try {
      expect(await typesOf(running.url)).toEqual([
        { type: `${base}not_found`, title: 'Not Found', code: undefined },
        { type: `${base}not_found`, title: 'Not Found', code: undefined },
        { type: `${base}permission_error`, title: 'Forbidden', code: undefined },
      ]);
      const denied = await send(`${running.url}/v1/reports`, {
        headers: { 'x-api-key': DEMO_KEYS.local },
      });
      expect(denied.json).toMatchObject({
        type: `${base}feature_not_entitled`,
        title: 'Feature Not Entitled',
      });
    } finally {
      await running.close();
    }
  });

  it('refuse to start with a relative ERROR_TYPE_BASE_URI', async () => {
    await expect(
      startSampleApp({ HTTP_PLATFORM: platform, ERROR_TYPE_BASE_URI: '/errors/' }),
    ).rejects.toThrow('ERROR_TYPE_BASE_URI is "/errors/"; use an absolute URI');
  });
});
