import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PLATFORMS, contentTypeOf, request, FORMATS } from './support/harness.js';
import { startIsolatedApp, type IsolatedApp } from './support/isolated-package.js';
import type { OpenApiDoc } from './support/openapi-contract.js';

/** The body of the one 401 in each format, as an app without a request id option sends it. */
function unauthorizedBody(format: string, requestId: string): unknown {
  switch (format) {
    case 'flat':
      return { error: 'unauthorized', status: 401 };
    case 'problem':
      return {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Invalid or missing API key',
        instance: requestId,
        code: 'authentication_error',
      };
    case 'nested':
      return {
        error: { code: 'INVALID_API_KEY', message: 'Invalid or missing API key' },
        request_id: requestId,
      };
    default:
      return { error: 'Invalid or missing API key' };
  }
}

describe.each(PLATFORMS)('an app without @nestjs/swagger on %s', (platform) => {
  let app: IsolatedApp;

  beforeAll(async () => {
    // @fastify/static is there for Swagger UI only.
    app = await startIsolatedApp(
      ['@nestjs/swagger', '@fastify/static'],
      'no-swagger-app.mjs',
      { HTTP_PLATFORM: platform },
      /listening laravel \d+/,
    );
  });
  afterAll(() => app.stop());

  it('really has no @nestjs/swagger to resolve', () => {
    const probe = app.resolves('@nestjs/swagger');
    expect(probe.resolved).toBe(false);
    expect(probe.stderr).toContain("Cannot find package '@nestjs/swagger'");
  });

  it.each(FORMATS)(
    'answers in the %s format and documents its errors all the same',
    async (format) => {
      const port = new RegExp(`listening ${format} (\\d+)`).exec(app.output())?.[1];
      const reply = await request(`http://127.0.0.1:${port}/v1/things`);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
      expect(reply.json).toEqual(unauthorizedBody(format, reply.headers.get('x-request-id') ?? ''));
      const line =
        app
          .output()
          .split('\n')
          .find((l) => l.startsWith(`document ${format} `)) ?? '';
      const document = JSON.parse(line.slice(`document ${format} `.length)) as OpenApiDoc;
      const operation = document.paths['/v1/things'].get;
      expect(operation.security).toEqual([{ ApiKey: [] }]);
      // The failed-authentication limiter's 429; Precognition's 204 with the laravel format.
      const statuses =
        format === 'laravel' ? ['200', '204', '401', '429', '500'] : ['200', '401', '429', '500'];
      expect(Object.keys(operation.responses)).toEqual(statuses);
      const media = operation.responses['401'].content?.[contentTypeOf(format).split(';')[0]];
      expect(media?.examples?.unauthorized.value).toEqual(
        unauthorizedBody(format, 'req_5f0c3a9e0d8b4c7e9a1f2b3c4d5e6f70'),
      );
    },
  );
});
