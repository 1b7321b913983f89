import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MATRIX,
  PLATFORMS,
  contentTypeOf,
  expectedBody,
  startSampleApp,
  REQUEST_ID,
  type ExpectedError,
  type RunningApp,
} from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import { rawRequest, type RawReply } from './support/raw-http.js';

const TIMEOUTS = { HEADERS_TIMEOUT_MS: '600', REQUEST_TIMEOUT_MS: '1000' };
/** Node checks both timeouts on an interval (the sample app: a tenth of the shorter one). */
const CHECK_MS = 60;
/** What a loaded test machine may add on top. */
const SLACK_MS = 1500;

const TIMED_OUT: ExpectedError = {
  code: 'request_timeout',
  status: 408,
  title: 'Request Timeout',
  nestedCode: 'REQUEST_TIMEOUT',
  problemType: 'request_timeout',
  message: 'The request timed out',
};

const POST_HEAD = (framing: string) =>
  `POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-API-Key: ${DEMO_KEYS.authority}\r\n` +
  `Content-Type: application/json\r\n${framing}\r\n\r\n`;

describe.each(MATRIX)('slow clients on %s, %s format', (platform, format) => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format, ...TIMEOUTS });
  });
  afterAll(() => app.close());

  function expectCut(reply: RawReply, afterMs: number) {
    expect(reply.status).toBe(408);
    expect(reply.headers['content-type']).toBe(contentTypeOf(format));
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-request-id']).toMatch(REQUEST_ID);
    expect(reply.json).toEqual(expectedBody(format, TIMED_OUT, reply.headers['x-request-id']));
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(afterMs - CHECK_MS);
    expect(reply.elapsedMs).toBeLessThan(afterMs + CHECK_MS + SLACK_MS);
  }

  // Issue #13, item 9: a partial body or a chunked trickle stayed open past 130 s.
  it('cuts a trickled body, a partial one and slow headers with 408 in the format, in time', async () => {
    const [partial, chunked, headers] = await Promise.all([
      rawRequest(app.url, {
        head: POST_HEAD('Content-Length: 1000') + '{"a":"',
        trickle: Array.from({ length: 100 }, () => 'x'),
      }),
      rawRequest(app.url, {
        head: POST_HEAD('Transfer-Encoding: chunked') + '2\r\n{"\r\n',
        trickle: Array.from({ length: 100 }, () => '1\r\nx\r\n'),
      }),
      rawRequest(app.url, {
        head: 'GET /v1/health HTTP/1.1\r\nHost: x\r\n',
        trickle: Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`),
      }),
    ]);
    expectCut(partial, 1000);
    expectCut(chunked, 1000);
    expectCut(headers, 600);
  }, 15_000);
});

describe.each(PLATFORMS)('idle connections on %s', (platform) => {
  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const app = await startSampleApp({ HTTP_PLATFORM: platform, KEEP_ALIVE_TIMEOUT_MS: '300' });
    try {
      const reply = await rawRequest(app.url, {
        head: 'GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
      });
      expect(reply.status).toBe(200);
      // Node keeps the socket a second past the advertised timeout, for the client to see it.
      expect(reply.elapsedMs).toBeGreaterThanOrEqual(300);
      expect(reply.elapsedMs).toBeLessThan(300 + 1000 + SLACK_MS);
    } finally {
      await app.close();
    }
  }, 15_000);

  it.each([
    [{ HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '1000' }, 'HEADERS_TIMEOUT_MS is 2000'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS is "0"'],
  ])('refuses to start with %j', async (env, message) => {
    await expect(startSampleApp({ HTTP_PLATFORM: platform, ...env })).rejects.toThrow(message);
  });
});
