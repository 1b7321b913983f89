// Failed authentications from ever-new identities (issue #13, item 1): a client behind a
// trusted proxy rotates its X-Forwarded-For hop on every request, so that each attempt comes
// from an address the failed-auth limiter has never seen. Fills the limiter past its 100,000
// tracked addresses, then keeps the flood going and measures, on a connection of its own, the
// latency of requests with a valid key. Once with the limiter on (AUTH_FAILURES_PER_MINUTE=100)
// and once with it off (0): the two should be close.
// Usage: node bench/auth-flood.mjs [--platform express|fastify] [--fill 110000] [--duration 10]
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { median, startServer, stopServer } from './lib.mjs';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]]));
const platforms = args.has('--platform') ? [args.get('--platform')] : ['express', 'fastify'];
const FILL = Number(args.get('--fill') ?? 110_000);
const DURATION = Number(args.get('--duration') ?? 10);
const PORT = 4400;
const VALID = 'demo_authority_org_a_4f9c2e7b1d';

let next = 0;
/** A new documentation-range IPv6 address every call. */
const newAddress = () => `2001:db8::${(next++).toString(16)}`;

function flood(options) {
  return autocannon({
    url: `http://127.0.0.1:${PORT}/v1/me`,
    connections: 10,
    requests: [
      {
        headers: { 'x-api-key': 'junk_key_of_the_flood' },
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, 'x-forwarded-for': newAddress() },
        }),
      },
    ],
    ...options,
  });
}

function timedGet(agent) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      { host: '127.0.0.1', port: PORT, path: '/v1/me', agent, headers: { 'x-api-key': VALID } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`expected 200, got ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function measure(platform, failuresPerMinute) {
  const server = await startServer(
    'dist/sample-app/src/main.js',
    {
      HTTP_PLATFORM: platform,
      TRUSTED_PROXIES: '127.0.0.1, ::1',
      AUTH_FAILURES_PER_MINUTE: String(failuresPerMinute),
      RATE_LIMIT_PER_MINUTE: '1000000000',
      RATE_LIMIT_PER_HOUR: '1000000000',
      ORG_RATE_LIMIT_PER_DAY: '1000000000',
    },
    PORT,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await flood({ amount: FILL });
    const latencies = [];
    let flooding = true;
    const attack = flood({ duration: DURATION }).then((result) => {
      flooding = false;
      return result;
    });
    while (flooding) latencies.push(await timedGet(agent));
    const result = await attack;
    latencies.sort((a, b) => a - b);
    return {
      platform,
      limiter: failuresPerMinute > 0 ? 'on (100/min)' : 'off',
      floodRps: result.requests.average,
      probes: latencies.length,
      p50: median(latencies),
      p99: latencies[Math.floor(latencies.length * 0.99)],
    };
  } finally {
    agent.destroy();
    await stopServer(server);
  }
}

const rows = [];
for (const platform of platforms) {
  for (const failuresPerMinute of [100, 0]) rows.push(await measure(platform, failuresPerMinute));
}
console.log(
  `Valid-key GET /v1/me during a flood of failed authentications, each from a new address (${FILL.toLocaleString('en')} first, then ${DURATION} s measured)\n`,
);
console.log(
  '| platform | failed-auth limiter | flood req/s | valid-key requests | p50 ms | p99 ms |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.platform} | ${r.limiter} | ${Math.round(r.floodRps).toLocaleString('en')} | ${r.probes} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
  );
}
