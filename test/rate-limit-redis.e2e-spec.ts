import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { MATRIX, PLATFORMS, contentTypeOf, request, startSampleApp } from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';
import { OwnRedis, spawnSampleApp, waitFor, type SampleProcess } from './support/processes.js';
import { redisEnv, useRealRedis } from './support/real-redis.js';

/** A port nothing listens on: Redis "down" from the first request. */
const CLOSED_REDIS = 'redis://127.0.0.1:1';

/** Each test counts under its own prefix, so parallel test files never collide. */
const prefix = () => `test:${randomUUID()}:`;

const shared = useRealRedis('test:');

describe.each(PLATFORMS)('Redis rate limits across two %s processes', (platform) => {
  const processes: SampleProcess[] = [];
  afterAll(() => Promise.all(processes.map((p) => p.stop())));

  it('admits exactly the limit when 5× the limit arrives at once, split across both', async () => {
    const keyPrefix = prefix();
    const env = {
      HTTP_PLATFORM: platform,
      ...redisEnv(keyPrefix),
      RATE_LIMIT_PER_MINUTE: '20',
      AUTH_FAILURES_PER_MINUTE: '0',
    };
    processes.push(await spawnSampleApp(env), await spawnSampleApp(env));
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request(`${processes[i % 2].url}/v1/me`, { headers: { 'x-api-key': DEMO_KEYS.local } }),
      ),
    );
    // Every decision was Redis's: no process fell back to counting on its own.
    const fellBack = processes.flatMap((p) =>
      p
        .output()
        .split('\n')
        .filter((line) => line.includes('Redis unavailable')),
    );
    expect(fellBack).toEqual([]);
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(80);
    const counts = await shared().keys(`${keyPrefix}*`);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((key) => key.includes('{org_a}'))).toBe(true);
  });
});

describe.each(MATRIX)('Redis down on %s, %s format', (platform, format) => {
  const base = {
    HTTP_PLATFORM: platform,
    ERROR_FORMAT: format,
    REDIS_URL: CLOSED_REDIS,
    RATE_LIMIT_PER_MINUTE: '3',
  };

  it('fails open to the in-memory limiter, with a warning, never a 500', async () => {
    const open = await startSampleApp(base);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const reply = await request(`${open.url}/v1/me`, {
          headers: { 'x-api-key': DEMO_KEYS.local },
        });
        statuses.push(reply.status);
        expect(reply.headers.get('x-ratelimit-limit')).toBe('3');
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(open.logger.text('warn')).toMatch(
        /Redis unavailable .*falling back to the in-memory limiter/,
      );
    } finally {
      await open.close();
    }
  });

  it('fails closed with 503 service_unavailable and Retry-After when asked', async () => {
    const closed = await startSampleApp({ ...base, RATE_LIMIT_FAIL_CLOSED: 'true' });
    try {
      const reply = await request(`${closed.url}/v1/me`, {
        headers: { 'x-api-key': DEMO_KEYS.local },
      });
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
      const id = reply.headers.get('x-request-id') ?? '';
      const message = 'Service temporarily unavailable';
      expect(reply.json).toEqual(
        {
          flat: { error: 'service_unavailable', status: 503 },
          problem: {
            type: 'about:blank',
            title: 'Service Unavailable',
            status: 503,
            detail: message,
            instance: id,
            code: 'service_unavailable',
          },
          nested: { error: { code: 'SERVICE_UNAVAILABLE', message }, request_id: id },
          laravel: { message: 'Server Error' },
        }[format],
      );
      expect(closed.logger.text('warn')).toMatch(/Redis unavailable .*answering 503/);
    } finally {
      await closed.close();
    }
  });
});

describe.each(PLATFORMS)('Redis stopped and restarted under %s', (platform) => {
  it('keeps answering while Redis is down and counts in Redis again within 5 s of its return', async () => {
    const redis = await OwnRedis.start();
    const keyPrefix = prefix();
    const running = await startSampleApp({
      HTTP_PLATFORM: platform,
      REDIS_URL: redis.url,
      REDIS_PREFIX: keyPrefix,
    });
    const probe = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 200,
    });
    probe.on('error', () => undefined);
    const me = () =>
      request(`${running.url}/v1/me`, { headers: { 'x-api-key': DEMO_KEYS.hashed } });
    const minuteCount = async () =>
      Number(await probe.get(`${keyPrefix}{org_a}:k:key_hashed:minute`));
    try {
      await waitFor(
        async () =>
          (await me()).headers.get('x-ratelimit-remaining') !== null && (await minuteCount()) > 0,
        5000,
        'Redis counting',
      );
      const before = await minuteCount();

      await redis.stop();
      for (let i = 0; i < 10; i++) expect((await me()).status).toBe(200);

      await redis.restart();
      const back = Date.now();
      // A fresh server holds nothing: counting resumes there once the client has reconnected.
      await waitFor(
        async () => (await me()).status === 200 && (await minuteCount()) > 0,
        5000,
        'counting in Redis again',
      );
      expect(Date.now() - back).toBeLessThan(5000);
      expect(before).toBeGreaterThan(0);
    } finally {
      probe.disconnect();
      await running.close();
      await redis.stop();
    }
  });
});

describe.each(PLATFORMS)('a 403 on a Redis-limited route under %s', (platform) => {
  it('carries the limits as they stand, read in one round trip that counts nothing', async () => {
    // A server of its own: every command it sees is this app's.
    const redis = await OwnRedis.start();
    const keyPrefix = prefix();
    const running = await startSampleApp({
      HTTP_PLATFORM: platform,
      REDIS_URL: redis.url,
      REDIS_PREFIX: keyPrefix,
      REDIS_COMMAND_TIMEOUT_MS: '5000',
    });
    const probe = new Redis(redis.url);
    // What the server receives, as MONITOR reports it: commands run by scripts are not round trips.
    const monitor = await probe.monitor();
    let seen: string[] = [];
    let marked: { token: string; resolve: (commands: string[]) => void } | undefined;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === 'lua') return;
      if (marked && args.includes(marked.token)) {
        marked.resolve(seen);
        seen = [];
      } else {
        seen.push(args[0].toLowerCase());
      }
    });
    const marker = new Redis(redis.url);
    /** The commands received since the last call: all that came before a marker sent now. */
    const received = () =>
      new Promise<string[]>((resolve) => {
        marked = { token: randomUUID(), resolve };
        void marker.echo(marked.token);
      });
    const get = (path: string) =>
      request(`${running.url}${path}`, { headers: { 'x-api-key': DEMO_KEYS.hashed } });
    const limits = (reply: Awaited<ReturnType<typeof get>>) =>
      ['limit', 'remaining', 'reset'].map((h) => reply.headers.get(`x-ratelimit-${h}`));
    try {
      const admitted = await get('/v1/locations');
      expect(admitted.status).toBe(200);
      expect((await get('/v1/reports')).status).toBe(403); // loads the read script once

      await received();
      const denied = await get('/v1/reports'); // network tier: feature denied
      expect(await received()).toEqual([expect.stringMatching(/^evalsha/)]);
      expect(denied.status).toBe(403);
      const [limit, remaining, reset] = limits(denied);
      expect([limit, remaining]).toEqual(limits(admitted).slice(0, 2));
      // The reset is the app's clock plus Redis' PTTL, each read at its own instant, rounded up
      // to a second: two reads a millisecond apart may straddle a second boundary.
      expect(Math.abs(Number(reset) - Number(limits(admitted)[2]))).toBeLessThanOrEqual(1);
      expect(await probe.get(`${keyPrefix}{org_a}:k:key_hashed:minute`)).toBe('1');

      const next = await get('/v1/locations');
      expect(next.headers.get('x-ratelimit-remaining')).toBe('98');
    } finally {
      monitor.disconnect();
      marker.disconnect();
      probe.disconnect();
      await running.close();
      await redis.stop();
    }
  });
});
