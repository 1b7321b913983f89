import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ErrorFormatName } from 'nest-api-errors';
import {
  MATRIX,
  PLATFORMS,
  contentTypeOf,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import { startOriginsApp } from './support/origins.module.js';

/** The exact 429 body in `format`. */
export function tooManyBody(format: ErrorFormatName, retryAfter: number, requestId: string) {
  const message = `Rate limit exceeded. Try again in ${retryAfter} seconds.`;
  switch (format) {
    case 'flat':
      return { error: 'rate_limit_exceeded', status: 429 };
    case 'problem':
      return {
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: message,
        instance: requestId,
        code: 'rate_limit_error',
      };
    case 'nested':
      return { error: { code: 'RATE_LIMIT_EXCEEDED', message }, request_id: requestId };
    case 'laravel':
      return { message: 'Too Many Attempts.' };
  }
}

function limitHeaders(reply: Reply) {
  return {
    limit: reply.headers.get('x-ratelimit-limit'),
    remaining: reply.headers.get('x-ratelimit-remaining'),
    reset: Number(reply.headers.get('x-ratelimit-reset')),
  };
}

describe.each(MATRIX)('rate limits on %s, %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
  });
  afterAll(() => running.close());

  const get = (path: string, key?: string) =>
    request(`${running.url}${path}`, { headers: key ? { 'x-api-key': key } : {} });

  it('answers the 101st request in a minute with 429, Retry-After and X-RateLimit-*', async () => {
    // The window starts with the first request: its end lies between these two instants.
    let firstBefore = 0;
    let firstAfter = 0;
    for (let i = 1; i <= 100; i++) {
      if (i === 1) firstBefore = Date.now();
      const reply = await get('/v1/me', DEMO_KEYS.local);
      if (i === 1) firstAfter = Date.now();
      expect([reply.status, limitHeaders(reply).limit, limitHeaders(reply).remaining]).toEqual([
        200,
        '100',
        String(100 - i),
      ]);
    }
    const reply = await get('/v1/me', DEMO_KEYS.local);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
    const retryAfter = Number(reply.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const headers = limitHeaders(reply);
    expect([headers.limit, headers.remaining]).toEqual(['100', '0']);
    expect(headers.reset).toBeGreaterThanOrEqual(Math.ceil((firstBefore + 60_000) / 1000));
    expect(headers.reset).toBeLessThanOrEqual(Math.ceil((firstAfter + 60_000) / 1000));
    expect(reply.json).toEqual(
      tooManyBody(format, retryAfter, reply.headers.get('x-request-id') ?? ''),
    );
  });

  it('puts the headers on 2xx and on 4xx, and lets 401 and 403 consume nothing', async () => {
    const ok = await get('/v1/locations', DEMO_KEYS.hashed);
    expect(ok.status).toBe(200);
    expect(limitHeaders(ok).remaining).toBe('99');
    const missing = await get('/v1/locations/loc_nowhere', DEMO_KEYS.hashed);
    expect(missing.status).toBe(404);
    expect(limitHeaders(missing)).toMatchObject({ limit: '100', remaining: '98' });
    const invalid = await get('/v1/locations?limit=0', DEMO_KEYS.hashed);
    expect(invalid.status).toBe(422);
    expect(limitHeaders(invalid).remaining).toBe('97');

    // 403s describe the limits as they stand, and count nowhere.
    const notEntitled = await get('/v1/reports', DEMO_KEYS.hashed); // network tier: feature denied
    expect(notEntitled.status).toBe(403);
    expect(limitHeaders(notEntitled)).toEqual(limitHeaders(invalid));
    const noScope = await request(`${running.url}/v1/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO_KEYS.hashed }, // read-only key
      json: {},
    });
    expect(noScope.status).toBe(403);
    expect(limitHeaders(noScope)).toEqual(limitHeaders(invalid));

    const unauthorized = await get('/v1/me', 'no_such_key');
    expect(unauthorized.status).toBe(401);
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      expect(unauthorized.headers.get(name)).toBeNull();
    }
    expect(limitHeaders(await get('/v1/me', DEMO_KEYS.hashed)).remaining).toBe('96');
  });

  it('gives the authority tier 10× the per-key limits', async () => {
    const reply = await get('/v1/me', DEMO_KEYS.authority);
    expect(limitHeaders(reply).limit).toBe('1000');
  });
});

describe.each(PLATFORMS)('rate-limit windows on %s', (platform) => {
  it('admits only when every window admits: after 13 requests the hour reports 188, not 187', async () => {
    const running = await startSampleApp({
      HTTP_PLATFORM: platform,
      RATE_LIMIT_PER_MINUTE: '12',
      RATE_LIMIT_PER_HOUR: '200',
      RATE_LIMIT_IETF_HEADERS: 'true',
    });
    try {
      let reply: Reply | undefined;
      for (let i = 0; i < 13; i++) {
        reply = await request(`${running.url}/v1/me`, {
          headers: { 'x-api-key': DEMO_KEYS.local },
        });
      }
      expect(reply?.status).toBe(429);
      expect(reply?.headers.get('ratelimit')).toMatch(
        /"key-minute";r=0;t=\d+, "key-hour";r=188;t=\d+, "organization-day";r=\d+;t=\d+/,
      );
      expect(reply?.headers.get('ratelimit-policy')).toBe(
        '"key-minute";q=12;w=60, "key-hour";q=200;w=3600, "organization-day";q=10000;w=86400',
      );
      expect(reply?.headers.get('ratelimit')).not.toMatch(/key_local|org_a/);
    } finally {
      await running.close();
    }
  });

  it('limits requests without a principal per client IP, and honours route overrides and skips', async () => {
    const running = await startOriginsApp(platform, {
      rateLimit: { key: [{ name: 'minute', limit: 3, ttl: 60_000 }], organization: [] },
    });
    try {
      const call = (path: string) => request(`${running.url}${path}`);
      for (let i = 0; i < 3; i++) expect((await call('/o/context')).status).toBe(200);
      const limited = await call('/o/context');
      expect(limited.status).toBe(429);
      expect(limitHeaders(limited)).toMatchObject({ limit: '3', remaining: '0' });
      // @RateLimit gives a route its own, smaller budget; @SkipRateLimit none.
      expect(limitHeaders(await call('/o/limited'))).toMatchObject({ limit: '2', remaining: '1' });
      expect((await call('/o/limited')).status).toBe(200);
      expect((await call('/o/limited')).status).toBe(429);
      const skipped = await call('/o/unlimited');
      expect(skipped.status).toBe(200);
      expect(skipped.headers.get('x-ratelimit-limit')).toBeNull();
    } finally {
      await running.close();
    }
  });
});
