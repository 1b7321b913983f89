import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import {
  MATRIX,
  PLATFORMS,
  contentTypeOf,
  expectedBody,
  request,
  startSampleApp,
  REQUEST_ID,
  type ExpectedError,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { expectErrorShape } from './support/error-shape.js';
import { BAD_REQUEST } from './support/expected.js';
import { DEMO_KEYS } from './support/keys.js';
import { startOriginsApp } from './support/origins.module.js';
import { rawRequest, type RawReply } from './support/raw-http.js';

const AUTH = { 'x-api-key': DEMO_KEYS.authority };

const UNSUPPORTED_ENCODING: ExpectedError = {
  code: 'unsupported_media_type',
  status: 415,
  title: 'Unsupported Media Type',
  nestedCode: 'UNSUPPORTED_MEDIA_TYPE',
  problemType: 'unsupported_media_type',
  message: 'The request body must be sent without a Content-Encoding',
};

const HEADERS_TOO_LARGE: ExpectedError = {
  code: 'bad_request',
  status: 431,
  title: 'Request Header Fields Too Large',
  nestedCode: 'INVALID_REQUEST',
  problemType: 'bad_request',
  message: 'The request headers are too large',
};

const URI_TOO_LONG: ExpectedError = {
  code: 'bad_request',
  status: 414,
  title: 'URI Too Long',
  nestedCode: 'INVALID_REQUEST',
  problemType: 'bad_request',
  message: 'A segment of the request URL is too long',
};

/** Text of the platforms' and parsers' own answers that must never reach a client. */
const PLATFORM_TEXT =
  /FST_ERR|statusCode|Failed to decode|incorrect header check|Decompression failed|not a valid url|max param/;

describe.each(MATRIX)('platform parity on %s, %s format', (platform, format) => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
  });
  afterAll(() => app.close());

  /** An error reply of the library: the format's body, a request id and no-store. */
  function expectError(reply: Reply | RawReply, expected: ExpectedError) {
    const header = (name: string) =>
      reply.headers instanceof Headers ? reply.headers.get(name) : reply.headers[name];
    const id = header('x-request-id') ?? '';
    expect(reply.status).toBe(expected.status);
    expect(id).toMatch(REQUEST_ID);
    expect(header('cache-control')).toBe('no-store');
    expect(header('content-type')).toBe(contentTypeOf(format));
    expect(reply.json).toEqual(expectedBody(format, expected, id));
    expect(reply.text).not.toMatch(PLATFORM_TEXT);
  }

  // Issue #13, items 5 and 6: Fastify answered with its own body, echoing the path; Express
  // sent its router's "Failed to decode param '%E0%A4%A'".
  it('answers a path with a malformed %-escape with 400, echoing nothing of it', async () => {
    const reply = await request(`${app.url}/v1/locations/%E0%A4%A`, { headers: AUTH });
    expectError(reply, BAD_REQUEST('The request URL is not valid'));
    expect(reply.text).not.toContain('%E0');
  });

  it('answers a 15 KB path segment in the format, echoing nothing of it', async () => {
    const segment = 'a'.repeat(15 * 1024);
    const reply = await request(`${app.url}/v1/locations/${segment}`, { headers: AUTH });
    // Fastify's router limits path parameters (maxParamLength); Express hands it to the route.
    if (platform === 'fastify') {
      expectError(reply, URI_TOO_LONG);
    } else {
      expect(reply.status).toBe(404);
      expectErrorShape(format, reply);
    }
    expect(reply.text).not.toContain('aaaaaaaa');
  });

  it('answers a request it cannot parse with 400, and closes the connection', async () => {
    const reply = await rawRequest(app.url, {
      head: 'GET /v1/health HTTP/1.1\r\nHost: x\r\nNot a header line\r\n\r\n',
    });
    expectError(reply, BAD_REQUEST('The request is not valid HTTP'));
    expect(reply.headers.connection).toBe('close');
  });

  it('answers headers over the size limit with 431', async () => {
    const reply = await rawRequest(app.url, {
      head: `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    });
    expectError(reply, HEADERS_TOO_LARGE);
  });

  // Issue #13, items 6 and 8: Express inflated (or failed with zlib's text), Fastify ignored the
  // header and parsed the compressed bytes.
  it.each([
    ['gzip on a plain body', 'gzip', Buffer.from('{"a":1}')],
    ['gzip', 'gzip', gzipSync('{"a":1}')],
    ['br on a plain body', 'br', Buffer.from('{"a":1}')],
    ['deflate, gzip', 'deflate, gzip', Buffer.from('{"a":1}')],
  ])('answers a body sent with Content-Encoding %s with 415', async (_name, coding, body) => {
    const reply = await request(`${app.url}/v1/echo`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', 'content-encoding': coding },
      body,
    });
    expectError(reply, UNSUPPORTED_ENCODING);
    expect(reply.headers.get('accept-encoding')).toBe('identity');
  });

  it('takes a body sent with Content-Encoding: identity as it is', async () => {
    const reply = await request(`${app.url}/v1/echo`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: '{"a":1}',
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ a: 1 });
  });

  // Issue #13, item 8: Express parsed zero bytes as {}, Fastify answered 400.
  it('treats a JSON request of zero bytes as one without a body', async () => {
    const empty = { ...AUTH, 'content-type': 'application/json', 'content-length': '0' };
    const echoed = await request(`${app.url}/v1/echo`, { method: 'POST', headers: empty });
    expect(echoed.status).toBe(200);
    expect(echoed.text).toBe('');
    const id = { 'x-request-id': 'same-id' };
    const absent = await request(`${app.url}/v1/bookings`, {
      method: 'POST',
      headers: { ...empty, ...id },
    });
    const none = await request(`${app.url}/v1/bookings`, {
      method: 'POST',
      headers: { ...AUTH, ...id },
    });
    expect(absent.status).toBe(422);
    expect(absent.text).toBe(none.text);
  });
});

describe.each(PLATFORMS)('platform parity with bodyContentTypes: false on %s', (platform) => {
  // With the media-type check off, Express inflates what it can; what it cannot is a fixed 400.
  it('never sends the decompressor text', async () => {
    const app = await startOriginsApp(platform, { bodyContentTypes: false, format: 'problem' });
    try {
      const reply = await request(`${app.url}/o/idem`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: '{"a":1}',
      });
      expect(reply.text).not.toMatch(PLATFORM_TEXT);
      if (platform === 'express') {
        expect(reply.status).toBe(400);
        expect((reply.json as { detail: string }).detail).toBe(
          'The request body could not be decoded',
        );
      }
    } finally {
      await app.close();
    }
  });
});
