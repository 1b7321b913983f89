import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiErrorsConfigError } from 'nest-api-errors';
import {
  MATRIX,
  PLATFORMS,
  REQUEST_ID,
  contentTypeOf,
  expectedBody,
  request,
  type ExpectedError,
  type RunningApp,
} from './support/harness.js';
import { BAD_REQUEST, CONFLICT, FORBIDDEN, INTERNAL } from './support/expected.js';
import { startOriginsApp } from './support/origins.module.js';

const BOOKING_LOCKED: ExpectedError = {
  code: 'booking_locked',
  status: 423,
  title: 'Booking Locked',
  nestedCode: 'BOOKING_LOCKED',
  problemType: 'booking_locked',
  message: 'This booking is locked',
};

describe.each(MATRIX)('error origins on %s, %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startOriginsApp(platform, {
      format,
      codes: { booking_locked: { status: 423, message: 'This booking is locked' } },
    });
  });
  afterAll(() => running.close());

  async function expectError(path: string, expected: ExpectedError) {
    const reply = await request(`${running.url}${path}`);
    expect(reply.status).toBe(expected.status);
    expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const id = reply.headers.get('x-request-id') ?? '';
    expect(id).toMatch(REQUEST_ID);
    expect(reply.json).toEqual(expectedBody(format, expected, id));
    return { reply, id };
  }

  it.each([
    ['a guard that throws', '/o/guard', FORBIDDEN('Guard said no')],
    ['an async guard that returns false', '/o/async-guard', FORBIDDEN('Forbidden resource')],
    ['an interceptor', '/o/interceptor', CONFLICT('Interceptor conflict')],
    ['an async handler', '/o/async-handler', CONFLICT('Async conflict')],
    ['a stock HttpException below 500', '/o/throw/bad-request', BAD_REQUEST('Stock message kept')],
    ['a sync middleware with a custom code', '/o/middleware', BOOKING_LOCKED],
    ['a custom code from a handler', '/o/throw/custom-code', BOOKING_LOCKED],
  ])('renders an error from %s', async (_origin, path, expected) => {
    await expectError(path, expected);
  });

  it('renders a pipe failure (ParseIntPipe) as bad_request', async () => {
    await expectError('/o/pipe/abc', BAD_REQUEST('Validation failed (numeric string is expected)'));
    expect((await request(`${running.url}/o/pipe/42`)).json).toEqual({ n: 42 });
  });

  it.each([
    'string',
    'null',
    'undefined',
    'bogus-status',
    'object',
    'status-200',
    'status-700',
    'status-float',
    'unregistered',
  ])('answers a thrown %s with a masked 500', async (kind) => {
    const { reply, id } = await expectError(`/o/throw/${kind}`, INTERNAL);
    expect(reply.text).not.toContain('secret');
    expect(
      running.logger.lines.filter((l) => l.level === 'error' && l.text.includes(id)),
    ).toHaveLength(1);
  });

  it('masks an async middleware error', async () => {
    const { reply } = await expectError('/o/async-middleware', INTERNAL);
    expect(reply.text).not.toContain('secret');
  });

  it('keeps the status of a third-party HttpException and its message below 500', async () => {
    await expectError('/o/throw/teapot', {
      code: 'bad_request',
      status: 418,
      title: "I'm a Teapot",
      nestedCode: 'INVALID_REQUEST',
      problemType: 'bad_request',
      message: 'I refuse to brew coffee',
    });
  });

  it('masks an HttpException of 502 with the catalogue message', async () => {
    const { reply } = await expectError('/o/throw/http-502', {
      code: 'bad_gateway',
      status: 502,
      title: 'Bad Gateway',
      nestedCode: 'BAD_GATEWAY',
      problemType: 'bad_gateway',
      message: 'An upstream service failed',
      laravel: { message: 'Server Error' },
    });
    expect(reply.text).not.toContain('secret');
  });

  it('renders extension members and sanitises the headers an error carries', async () => {
    const reply = await request(`${running.url}/o/throw/extensions`);
    const id = reply.headers.get('x-request-id');
    expect(reply.status).toBe(403);
    expect(reply.headers.get('retry-after')).toBe('3');
    expect(reply.headers.get('x-bad')).toBeNull();
    expect(reply.headers.get('injected')).toBeNull();
    const expected = {
      flat: { error: 'forbidden', status: 403, storeId: 'store_9' },
      problem: {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'Store paused',
        instance: id,
        code: 'permission_error',
        storeId: 'store_9',
      },
      nested: {
        error: {
          code: 'INSUFFICIENT_PERMISSIONS',
          message: 'Store paused',
          details: { storeId: 'store_9' },
        },
        request_id: id,
      },
      laravel: { error: 'Store paused', storeId: 'store_9' },
    }[format];
    expect(reply.json).toEqual(expected);
  });

  it('falls back to a 500 when an error cannot be serialised', async () => {
    await expectError('/o/throw/bigint', INTERNAL);
  });

  it('never writes twice when the response was already sent', async () => {
    const reply = await request(`${running.url}/o/after-send`);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('done');
    await running.logger.next('warn', /raised after the response was sent/);
    expect((await request(`${running.url}/o/guard`)).status).toBe(403);
  });

  it('ends a response that had started when the error was raised', async () => {
    const reply = await request(`${running.url}/o/started`);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('partial');
    expect(await running.logger.next('warn', /raised after the response was sent/)).toMatch(
      /response ended/,
    );
  });

  it('gives app code the request id through the decorator and getRequestId()', async () => {
    const reply = await request(`${running.url}/o/context`, {
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(reply.json).toEqual({ fromDecorator: 'trace-42', fromService: 'trace-42' });
  });
});

describe.each(PLATFORMS)('options on %s', (platform) => {
  it('adds request_id to flat and laravel bodies with includeRequestId', async () => {
    for (const format of ['flat', 'laravel'] as const) {
      const running = await startOriginsApp(platform, { format, includeRequestId: true });
      try {
        const reply = await request(`${running.url}/o/guard`, {
          headers: { 'x-request-id': 'rid-1' },
        });
        expect(reply.json).toEqual(
          format === 'flat'
            ? { error: 'forbidden', status: 403, request_id: 'rid-1' }
            : { error: 'Guard said no', request_id: 'rid-1' },
        );
      } finally {
        await running.close();
      }
    }
  });

  it('makes problem types absolute with typeBaseUri, and reads a custom request id header', async () => {
    const running = await startOriginsApp(platform, {
      format: 'problem',
      typeBaseUri: 'https://api.example.com/errors',
      requestIdHeader: 'X-Correlation-Id',
    });
    try {
      const reply = await request(`${running.url}/o/guard`, {
        headers: { 'x-correlation-id': 'corr-7' },
      });
      expect(reply.headers.get('x-correlation-id')).toBe('corr-7');
      expect(reply.json).toEqual({
        type: 'https://api.example.com/errors/permission_error',
        title: 'Forbidden',
        status: 403,
        detail: 'Guard said no',
        instance: 'corr-7',
      });
    } finally {
      await running.close();
    }
  });

  it('exposes 5xx messages only with exposeInternalErrors', async () => {
    const running = await startOriginsApp(platform, {
      format: 'nested',
      exposeInternalErrors: true,
    });
    try {
      const reply = await request(`${running.url}/o/throw/bogus-status`);
      expect(reply.status).toBe(500);
      expect((reply.json as { error: { message: string } }).error.message).toBe('secret');
    } finally {
      await running.close();
    }
  });

  it('renders with a custom format function, status and headers included', async () => {
    const running = await startOriginsApp(
      platform,
      {
        format: (error, { requestId }) => ({
          status: error.status === 403 ? 404 : undefined,
          headers: { 'X-Error-Code': error.code },
          body: { ok: false, kind: error.code, trace: requestId },
        }),
      },
      true,
    );
    try {
      const reply = await request(`${running.url}/o/guard`, { headers: { 'x-request-id': 'r1' } });
      expect(reply.status).toBe(404);
      expect(reply.headers.get('x-error-code')).toBe('forbidden');
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(reply.json).toEqual({ ok: false, kind: 'forbidden', trace: 'r1' });
    } finally {
      await running.close();
    }
  });

  it.each([
    [{ format: 'xml' }, /option "format" is "xml"\. Use one of flat, problem, nested, laravel/],
    [{ typeBaseUri: 'not a uri' }, /option "typeBaseUri" is not an absolute URI/],
    [
      { codes: { locked: { status: 200, message: 'x' } } },
      /option "codes\.locked\.status" must be an integer from 400 to 599/,
    ],
    [
      { codes: { not_found: { status: 404, message: 'x' } } },
      /option "codes\.not_found" redefines a built-in code/,
    ],
    [{ requestIdHeader: 'bad header' }, /option "requestIdHeader" is not a valid header name/],
  ])('stops the start on a wrong option (%j)', async (options, message) => {
    await expect(startOriginsApp(platform, options as never)).rejects.toThrow(ApiErrorsConfigError);
    await expect(startOriginsApp(platform, options as never)).rejects.toThrow(message);
  });
});
