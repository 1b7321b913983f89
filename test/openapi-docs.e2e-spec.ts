import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { renderErrorsPage } from 'nest-api-errors';
import { readFileSync } from 'node:fs';
import { ERRORS_PAGE_PATH, bookingsErrorsPage } from '../sample-app/src/errors-page.js';
import {
  MATRIX,
  PLATFORMS,
  contentTypeOf,
  request,
  startSampleApp,
  type RunningApp,
} from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import type { OpenApiDoc } from './support/openapi-contract.js';

/** Configurations whose documents differ in shape: the defaults, and every option turned. */
const CONFIGS: Record<string, string>[] = [
  {},
  {
    ERROR_TYPE_BASE_URI: 'https://api.example.com/errors/',
    RATE_LIMIT_IETF_HEADERS: 'true',
    IDEMPOTENCY_REQUIRED: 'true',
    VALIDATION_STATUS: '400',
    AUTH_FAILURES_PER_MINUTE: '0',
  },
];

describe.each(MATRIX)('the OpenAPI document on %s, %s format', (platform, format) => {
  it.each(CONFIGS)('is valid OpenAPI with %j', async (env) => {
    const running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format, ...env });
    try {
      const reply = await request(`${running.url}/docs-json`);
      expect(reply.status).toBe(200);
      const result = await new Validator().validate(reply.json as Record<string, unknown>);
      expect(result.errors).toBeUndefined();
      expect(result.valid).toBe(true);
      const document = reply.json as OpenApiDoc;
      // The error bodies are the format's own: the 401 of a guarded route, for one.
      const unauthorized = document.paths['/v1/me'].get.responses['401'].content ?? {};
      expect(Object.keys(unauthorized)).toEqual([contentTypeOf(format).split(';')[0]]);
    } finally {
      await running.close();
    }
  });
});

describe.each(PLATFORMS)('/docs and /docs-json on %s', (platform) => {
  let running: RunningApp;
  beforeAll(async () => {
    // One request a minute per client IP on public routes, were these routes limited.
    running = await startSampleApp({ HTTP_PLATFORM: platform, RATE_LIMIT_PER_MINUTE: '1' });
  });
  afterAll(() => running.close());

  it('serve Swagger UI and the document without a key and without rate limits', async () => {
    for (let i = 0; i < 3; i++) {
      const ui = await request(`${running.url}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
      expect(ui.text).toContain('swagger-ui');
      const json = await request(`${running.url}/docs-json`);
      expect(json.status).toBe(200);
      expect((json.json as OpenApiDoc).openapi).toMatch(/^3\./);
      for (const reply of [ui, json]) {
        expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
      }
    }
  });

  it('leave the API as it was: its routes still ask for a key and count requests', async () => {
    const missing = await request(`${running.url}/v1/me`);
    expect(missing.status).toBe(401);
    const me = await request(`${running.url}/v1/me`, {
      headers: { 'x-api-key': DEMO_KEYS.local },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('x-ratelimit-limit')).toBe('1');
  });
});

describe('the Errors page', () => {
  it(`${ERRORS_PAGE_PATH} is what npm run docs:errors writes now`, async () => {
    const checkedIn = readFileSync(ERRORS_PAGE_PATH, 'utf8');
    // Run `npm run docs:errors` and commit docs/errors.md when this fails.
    expect(await bookingsErrorsPage('express')).toBe(checkedIn);
  });

  it('is the same on Fastify but for the 414 its router answers a path parameter too long', async () => {
    const express = (await bookingsErrorsPage('express')).split('\n');
    const fastify = (await bookingsErrorsPage('fastify')).split('\n');
    const added = fastify.filter((line) => !express.includes(line));
    const removed = express.filter((line) => !fastify.includes(line));
    expect(removed).toEqual([]);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(
      /^\| 414 +\| `bad_request` +\| A path parameter is longer than the router accepts/,
    );
  });
});

/** The first fenced block of `language` after `heading` on a Markdown page. */
function block(page: string, heading: string, language: string): string {
  const section = page.slice(page.indexOf(heading));
  const start = section.indexOf('```' + language + '\n') + language.length + 4;
  return section.slice(start, section.indexOf('\n```', start));
}

describe.each(MATRIX)('the Errors page of the app on %s, %s format', (platform, format) => {
  let running: RunningApp;
  let page: string;
  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
    page = await renderErrorsPage(running.app, { exampleRequestId: 'req_page_example' });
  });
  afterAll(() => running.close());

  /** `body` with the request id of `reply` where the page has its example id. */
  const withId = (body: string, id: string | null) =>
    JSON.parse(body.split('req_page_example').join(id ?? ''));

  it('shows the envelope the app answers a path no route has with', async () => {
    const reply = await request(`${running.url}/v1/no/such/route`);
    expect(reply.status).toBe(404);
    expect(page).toContain(`\`Content-Type: ${contentTypeOf(format)}\``);
    expect(reply.json).toEqual(
      withId(block(page, '## The error envelope', 'json'), reply.headers.get('x-request-id')),
    );
  });

  it('shows the 401 the app answers, headers and body', async () => {
    const reply = await request(`${running.url}/v1/me`);
    const shown = block(page, '## Authentication errors', 'http').split('\n\n');
    expect(shown[0]).toContain(`WWW-Authenticate: ${reply.headers.get('www-authenticate')}`);
    expect(shown[0]).toContain(`Content-Type: ${reply.headers.get('content-type')}`);
    expect(reply.json).toEqual(withId(shown[1], reply.headers.get('x-request-id')));
  });

  it('shows the feature_not_entitled the app answers a plan without the feature', async () => {
    const reply = await request(`${running.url}/v1/reports`, {
      headers: { 'x-api-key': DEMO_KEYS.local },
    });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(
      withId(block(page, '## Plan features', 'json'), reply.headers.get('x-request-id')),
    );
  });
});
