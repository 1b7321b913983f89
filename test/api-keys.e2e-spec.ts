import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InMemoryApiKeyStore,
  parseApiKeyEntry,
  type ApiKeysOptions,
  type AuthAuditEvent,
} from 'nest-api-errors';
import {
  MATRIX,
  PLATFORMS,
  contentTypeOf,
  expectedBody,
  request,
  startSampleApp,
  type Reply,
  type RunningApp,
} from './support/harness.js';
import { FORBIDDEN, TOO_MANY, UNAUTHORIZED } from './support/expected.js';
import { DEMO_KEYS } from './support/keys.js';
import { startOriginsApp } from './support/origins.module.js';

/** The eight ways to fail authentication, as request headers. */
const FAILURES: [string, Record<string, string>][] = [
  ['no key', {}],
  ['an empty key', { 'x-api-key': '' }],
  ['an oversized key', { 'x-api-key': 'k'.repeat(513) }],
  ['a malformed key', { 'x-api-key': 'not a key' }],
  ['an unknown key', { 'x-api-key': 'demo_authority_org_a_4f9c2e7b1e' }],
  ['a revoked key', { 'x-api-key': DEMO_KEYS.revoked }],
  ['an expired key', { 'x-api-key': DEMO_KEYS.expired }],
  ['a key used from outside its allowlist', { 'x-api-key': DEMO_KEYS.ipDenied }],
];

/** All response headers but Date, as sorted pairs. */
function headerSet(reply: Reply): [string, string][] {
  return [...reply.headers.entries()].filter(([name]) => name !== 'date').sort();
}

describe.each(MATRIX)('API keys on %s, %s format', (platform, format) => {
  let running: RunningApp;
  let url: string;

  beforeAll(async () => {
    running = await startSampleApp({
      HTTP_PLATFORM: platform,
      ERROR_FORMAT: format,
      AUTH_FAILURES_PER_MINUTE: '0',
    });
    url = running.url;
  });
  afterAll(() => running.close());

  const get = (path: string, key?: string, headers: Record<string, string> = {}) =>
    request(`${url}${path}`, {
      headers: key === undefined ? headers : { 'x-api-key': key, ...headers },
    });

  it('answers all eight failure kinds with byte-identical 401s', async () => {
    const replies: Reply[] = [];
    for (const [, headers] of FAILURES) {
      replies.push(
        await request(`${url}/v1/me`, { headers: { ...headers, 'x-request-id': 'same-id' } }),
      );
    }
    const [first] = replies;
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toBe('ApiKey header="X-API-Key"');
    expect(first.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(first.json).toEqual(expectedBody(format, UNAUTHORIZED, 'same-id'));
    expect([...first.headers.keys()].filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    replies.forEach((reply, i) => {
      expect([FAILURES[i][0], reply.status, reply.text, headerSet(reply)]).toEqual([
        FAILURES[i][0],
        first.status,
        first.text,
        headerSet(first),
      ]);
    });
  });

  it('lets a valid key through and exposes its principal on /v1/me', async () => {
    const reply = await get('/v1/me', DEMO_KEYS.authority);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      keyId: 'key_1',
      organizationId: 'org_a',
      tier: 'authority',
      scopes: ['bookings:read', 'bookings:write'],
    });
    expect((await get('/v1/me', DEMO_KEYS.hashed)).json).toMatchObject({ keyId: 'key_hashed' });
    expect((await get('/v1/me', DEMO_KEYS.ipAllowed)).json).toMatchObject({
      keyId: 'key_ip_allowed',
    });
  });

  it('keeps GET /v1/health public', async () => {
    expect((await get('/v1/health')).status).toBe(200);
  });

  it('binds store routes to the key organization, echoing no id', async () => {
    const own = await get('/v1/stores/org_a/orders', DEMO_KEYS.authority);
    expect(own.status).toBe(200);
    expect((own.json as { orders: unknown[] }).orders.length).toBeGreaterThan(0);
    const other = await get('/v1/stores/org_b/orders', DEMO_KEYS.authority);
    expect(other.status).toBe(403);
    const id = other.headers.get('x-request-id') ?? '';
    expect(other.json).toEqual(
      expectedBody(format, FORBIDDEN('API key does not authorize this store'), id),
    );
    expect(other.text).not.toContain('org_b');
    expect(other.text).not.toContain('org_a');
  });

  it('records one audit event per attempt with the real outcome, newest first', async () => {
    const tag = `probe-${platform}-${format}`;
    await get('/v1/me', DEMO_KEYS.revoked, { 'user-agent': tag });
    await get('/v1/me', DEMO_KEYS.expired, { 'user-agent': tag });
    await get('/v1/me', DEMO_KEYS.ipDenied, { 'user-agent': tag });
    const outcomes = async (keyId: string) => {
      const reply = await get(`/v1/keys/${keyId}/audit-events`, DEMO_KEYS.authority);
      expect(reply.status).toBe(200);
      return (reply.json as { events: AuthAuditEvent[] }).events.filter((e) => e.userAgent === tag);
    };
    const [revoked] = await outcomes('key_revoked');
    expect(revoked).toMatchObject({
      keyId: 'key_revoked',
      organizationId: 'org_a',
      outcome: 'revoked',
      clientIp: '127.0.0.1',
      method: 'GET',
      route: '/v1/me',
    });
    expect(revoked.requestId).toMatch(/^req_/);
    expect(new Date(revoked.time).toISOString()).toBe(revoked.time);
    expect((await outcomes('key_expired')).map((e) => e.outcome)).toEqual(['expired']);
    expect((await outcomes('key_ip_denied')).map((e) => e.outcome)).toEqual(['ip_denied']);

    const own = await get('/v1/keys/key_1/audit-events', DEMO_KEYS.authority);
    const events = (own.json as { events: AuthAuditEvent[] }).events;
    expect(events[0]).toMatchObject({ outcome: 'success', route: '/v1/keys/:keyId/audit-events' });
    const times = events.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    expect(own.text).not.toContain(DEMO_KEYS.authority);
  });

  it("answers another organization's key exactly like a key that does not exist", async () => {
    const other = await get('/v1/keys/key_network/audit-events', DEMO_KEYS.authority, {
      'x-request-id': 'r1',
    });
    const missing = await get('/v1/keys/key_nope/audit-events', DEMO_KEYS.authority, {
      'x-request-id': 'r1',
    });
    expect(other.status).toBe(404);
    expect(other.text).toBe(missing.text);
    expect(other.text).not.toContain('key_network');
  });

  it('makes revocation take effect on the next request', async () => {
    const fresh = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
    try {
      const call = (path: string, key: string, method = 'GET') =>
        request(`${fresh.url}${path}`, { method, headers: { 'x-api-key': key } });
      expect((await call('/v1/me', DEMO_KEYS.local)).status).toBe(200);
      expect((await call('/v1/keys/key_network', DEMO_KEYS.authority, 'DELETE')).status).toBe(404);
      expect((await call('/v1/keys/key_local', DEMO_KEYS.authority, 'DELETE')).status).toBe(204);
      const after = await call('/v1/me', DEMO_KEYS.local);
      expect(after.status).toBe(401);
      expect(after.json).toEqual(
        expectedBody(format, UNAUTHORIZED, after.headers.get('x-request-id') ?? ''),
      );
      const events = (await call('/v1/keys/key_local/audit-events', DEMO_KEYS.authority)).json as {
        events: AuthAuditEvent[];
      };
      expect(events.events.map((e) => e.outcome).slice(0, 2)).toEqual(['revoked', 'success']);
    } finally {
      await fresh.close();
    }
  });

  it('turns an IP away with 429 after AUTH_FAILURES_PER_MINUTE failures', async () => {
    const limited = await startSampleApp({
      HTTP_PLATFORM: platform,
      ERROR_FORMAT: format,
      AUTH_FAILURES_PER_MINUTE: '5',
    });
    try {
      const call = (key: string) =>
        request(`${limited.url}/v1/me`, { headers: { 'x-api-key': key } });
      expect((await call(DEMO_KEYS.authority)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await call(`wrong_${i}`)).status).toBe(401);
      const blocked = await call('wrong_again');
      expect(blocked.status).toBe(429);
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(blocked.json).toEqual(
        expectedBody(
          format,
          { ...TOO_MANY, message: `Rate limit exceeded. Try again in ${retryAfter} seconds.` },
          blocked.headers.get('x-request-id') ?? '',
        ),
      );
      // Success does not count as a failure, and the public route stays open.
      expect((await request(`${limited.url}/v1/health`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('stops the start on a malformed keys file, naming the file and the entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(
      file,
      JSON.stringify({
        keys: [
          {
            id: 'ok',
            key: 'k1',
            organizationId: 'o',
            tier: 'local',
            scopes: [],
            expiresAt: null,
            revokedAt: null,
          },
          {
            id: 'bad',
            key: 'k2',
            organizationId: 'o',
            tier: 'platinum',
            scopes: [],
            expiresAt: null,
            revokedAt: null,
          },
        ],
      }),
    );
    await expect(startSampleApp({ HTTP_PLATFORM: platform, API_KEYS_FILE: file })).rejects.toThrow(
      `API keys file ${file}: keys[1] ("bad") "tier" is "platinum"; use one of local, network, authority`,
    );
  });
});

/** A store with keys made for the guard's options; plaintext is only in this test. */
function storeOf(...entries: Record<string, unknown>[]) {
  return new InMemoryApiKeyStore(
    entries.map((entry) =>
      parseApiKeyEntry({
        organizationId: 'org_t',
        tier: 'local',
        scopes: [],
        expiresAt: null,
        revokedAt: null,
        ...entry,
      }),
    ),
  );
}

describe.each(MATRIX)('API-key options on %s, %s format', (platform, format) => {
  const events: AuthAuditEvent[] = [];
  const waiters: (() => void)[] = [];
  let running: RunningApp;

  beforeAll(async () => {
    const apiKeys: ApiKeysOptions = {
      store: storeOf(
        { id: 'k_admin', key: 'admin_key', scopes: ['admin', 'bookings:read'] },
        { id: 'k_reader', key: 'reader_key', scopes: ['bookings:read'] },
        { id: 'k_proxy', key: 'proxy_key', allowedIps: ['198.51.100.7'] },
      ),
      header: 'X-Client-Key',
      bearer: true,
      trustedProxies: ['127.0.0.1', '::1'],
      auditSink: (event) => {
        events.push(event);
        for (const waiter of waiters.splice(0)) waiter();
        if (event.outcome === 'unknown') throw new Error('sink broke');
      },
    };
    running = await startOriginsApp(platform, { format, apiKeys });
  });
  afterAll(() => running.close());

  const get = (path: string, headers: Record<string, string>) =>
    request(`${running.url}${path}`, { headers });

  /** Resolves once the sink has received `count` events (it is called after each response). */
  const sinkHasSeen = async (count: number): Promise<void> => {
    while (events.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };

  it('reads the configured header and names it in WWW-Authenticate', async () => {
    expect((await get('/o/whoami', { 'x-client-key': 'reader_key' })).status).toBe(200);
    const missing = await get('/o/whoami', { 'x-api-key': 'reader_key' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('ApiKey header="X-Client-Key"');
  });

  it('accepts a Bearer token when enabled, and treats other schemes as malformed', async () => {
    const reply = await get('/o/whoami', { authorization: 'Bearer admin_key' });
    expect(reply.json).toMatchObject({ keyId: 'k_admin', organizationId: 'org_t' });
    expect((await get('/o/whoami', { authorization: 'Basic YWRtaW5fa2V5' })).status).toBe(401);
  });

  it('answers a key without a required scope with 403 forbidden', async () => {
    expect((await get('/o/scoped', { 'x-client-key': 'admin_key' })).status).toBe(200);
    const reply = await get('/o/scoped', { 'x-client-key': 'reader_key' });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(
      expectedBody(
        format,
        FORBIDDEN('Insufficient permissions'),
        reply.headers.get('x-request-id') ?? '',
      ),
    );
  });

  it('binds a route to the organization header: 400 when missing, 403 when another', async () => {
    expect(
      (await get('/o/tenant-header', { 'x-client-key': 'admin_key', 'x-organization-id': 'org_t' }))
        .status,
    ).toBe(200);
    const missing = await get('/o/tenant-header', { 'x-client-key': 'admin_key' });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual(
      expectedBody(
        format,
        {
          code: 'bad_request',
          status: 400,
          title: 'Bad Request',
          nestedCode: 'INVALID_REQUEST',
          problemType: 'bad_request',
          message: 'Missing x-organization-id header',
        },
        missing.headers.get('x-request-id') ?? '',
      ),
    );
    const other = await get('/o/tenant-header', {
      'x-client-key': 'admin_key',
      'x-organization-id': 'org_zz',
    });
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('org_zz');
    expect(other.json).toEqual(
      expectedBody(
        format,
        FORBIDDEN('API key does not authorize this organization'),
        other.headers.get('x-request-id') ?? '',
      ),
    );
  });

  it('believes X-Forwarded-For only from a trusted proxy, right-most untrusted hop first', async () => {
    expect(
      (await get('/o/whoami', { 'x-client-key': 'proxy_key', 'x-forwarded-for': '198.51.100.7' }))
        .status,
    ).toBe(200);
    // A client that prepends the allowed address is still seen as the hop the proxy saw.
    const spoofed = await get('/o/whoami', {
      'x-client-key': 'proxy_key',
      'x-forwarded-for': '198.51.100.7, 192.0.2.66',
    });
    expect(spoofed.status).toBe(401);
    expect((await get('/o/whoami', { 'x-client-key': 'proxy_key' })).status).toBe(401);
  });

  it('sends every attempt to the sink once, never the raw key, and survives a throwing sink', async () => {
    events.length = 0;
    const attempts: [Record<string, string>, string][] = [
      [{}, 'missing'],
      [{ 'x-client-key': 'bad key' }, 'malformed'],
      [{ 'x-client-key': 'nobody_key' }, 'unknown'],
      [{ 'x-client-key': 'reader_key' }, 'success'],
    ];
    for (const [headers] of attempts)
      await get('/o/whoami', { ...headers, 'x-request-id': `sink-${events.length}` });
    expect((await get('/o/whoami', { 'x-client-key': 'reader_key' })).status).toBe(200);
    await sinkHasSeen(5);
    await running.logger.next('warn', /audit sink failed/);
    expect(events.slice(0, 4).map((e) => e.outcome)).toEqual(
      attempts.map(([, outcome]) => outcome),
    );
    expect(events).toHaveLength(5);
    expect(JSON.stringify(events)).not.toMatch(/reader_key|nobody_key|bad key/);
    expect(events[2]).toMatchObject({ keyId: null, organizationId: null });
    expect(running.logger.text('warn')).toContain('audit sink failed: sink broke');
  });
});

describe.each(PLATFORMS)('a slow audit sink on %s', (platform) => {
  it('never delays the response', async () => {
    const running = await startOriginsApp(platform, {
      apiKeys: {
        store: storeOf({ id: 'k', key: 'slow_key' }),
        auditSink: () => new Promise<void>(() => undefined),
      },
    });
    try {
      const reply = await request(`${running.url}/o/whoami`, {
        headers: { 'x-api-key': 'slow_key' },
      });
      expect(reply.status).toBe(200);
    } finally {
      await running.close();
    }
  });
});

describe.each(PLATFORMS)('the sample app behind a reverse proxy on %s', (platform) => {
  /** Two clients behind one proxy (the test itself, on 127.0.0.1): a junk one, then a good one. */
  async function junkThenGood(env: Record<string, string>) {
    const app = await startSampleApp({
      HTTP_PLATFORM: platform,
      AUTH_FAILURES_PER_MINUTE: '3',
      ...env,
    });
    try {
      const call = (client: string, key: string) =>
        request(`${app.url}/v1/me`, {
          headers: { 'x-api-key': key, 'x-forwarded-for': client },
        });
      const junk = [];
      for (let i = 0; i < 4; i++) junk.push((await call('198.51.100.7', `junk_${i}`)).status);
      const good = (await call('198.51.100.8', DEMO_KEYS.authority)).status;
      return { junk, good };
    } finally {
      await app.close();
    }
  }

  it('with TRUSTED_PROXIES, limits each client on its own', async () => {
    expect(await junkThenGood({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' })).toEqual({
      junk: [401, 401, 401, 429],
      good: 200,
    });
  });

  it('without it, the proxy is the client: one junk client locks everyone out', async () => {
    expect(await junkThenGood({})).toEqual({ junk: [401, 401, 401, 429], good: 429 });
  });

  it('refuses to start on a TRUSTED_PROXIES entry that is not an address or range', async () => {
    await expect(
      startSampleApp({ HTTP_PLATFORM: platform, TRUSTED_PROXIES: '127.0.0.1, proxy.local' }),
    ).rejects.toThrow(
      'TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR range; use addresses or CIDR ranges.',
    );
  });
});
