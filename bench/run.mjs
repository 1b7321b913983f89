// The benchmark: raw node:http, bare Nest, a "stock" Nest pipeline, the sample app with the
// library (in-memory stores) and with Redis, on Express and Fastify, under autocannon.
// Interleaved rounds (every measurement once, then again), a fresh server process for each
// measurement, medians over the rounds; ratios are taken within this one run.
//
// Usage: node bench/run.mjs [--rounds 3] [--duration 10] [--warmup 3] [--connections 10]
//                           [--soak 60] [--requests 1000000] [--keys 100000] [--quick]
//                           [--only soak|memory|validation]
// Needs a built dist/ (npm run bench builds it) and, for the Redis mode, Redis at REDIS_URL.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGET_SPREAD, measureAuthTiming, timingTable } from './auth-timing.mjs';
import { measurePipe, pipeTable } from './pipe.mjs';
import {
  BOOKING,
  INVALID_BOOKING,
  ROOT,
  collectedRssMegabytes,
  cpuMicros,
  median,
  rssMegabytes,
  startServer,
  stopServer,
} from './lib.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const QUICK = argv.includes('--quick');
const ROUNDS = arg('rounds', QUICK ? 1 : 3);
const DURATION = arg('duration', QUICK ? 3 : 10);
const WARMUP = arg('warmup', QUICK ? 1 : 3);
const CONNECTIONS = arg('connections', 10);
const SOAK = arg('soak', QUICK ? 10 : 60);
const MEMORY_REQUESTS = arg('requests', QUICK ? 100_000 : 1_000_000);
const MEMORY_KEYS = arg('keys', QUICK ? 10_000 : 100_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = 4300;

const AUTHORITY = 'demo_authority_org_a_4f9c2e7b1d';
const LOCAL = 'demo_local_org_a_8b3d1f6a2c';
const UNLIMITED = {
  AUTH_FAILURES_PER_MINUTE: '0',
  RATE_LIMIT_PER_MINUTE: '1000000000',
  RATE_LIMIT_PER_HOUR: '1000000000',
  ORG_RATE_LIMIT_PER_DAY: '1000000000',
};

let bookingCounter = 0;
function validBooking() {
  bookingCounter += 1;
  return JSON.stringify({ ...BOOKING, serviceId: `svc_${bookingCounter}_${process.pid}` });
}
const INVALID_BOOKING_TEXT = JSON.stringify(INVALID_BOOKING);

/** What is measured: method, path, headers, body, and the status every answer must have. */
const SCENARIOS = {
  'GET 200': { path: '/v1/me', headers: { 'x-api-key': AUTHORITY }, status: 200 },
  'GET 401': { path: '/v1/me', headers: {}, status: 401 },
  'GET 403': { path: '/v1/reports', headers: { 'x-api-key': LOCAL }, status: 403 },
  'GET 429': { path: '/v1/me', headers: { 'x-api-key': LOCAL }, status: 429, limited: true },
  'POST 201': {
    method: 'POST',
    path: '/v1/bookings',
    headers: { 'x-api-key': AUTHORITY, 'content-type': 'application/json' },
    unique: true,
    status: 201,
  },
  'POST 422': {
    method: 'POST',
    path: '/v1/bookings',
    headers: { 'x-api-key': AUTHORITY, 'content-type': 'application/json' },
    body: INVALID_BOOKING_TEXT,
    // The stock pipeline answers validation with 400, the library with 422.
    status: [400, 422],
  },
};

/**
 * Scenarios every pipeline answers; the zod twins and the query DTO route exist in the
 * library's sample app only.
 */
const SHARED_SCENARIOS = Object.keys(SCENARIOS);
SCENARIOS['POST 201 zod'] = { ...SCENARIOS['POST 201'], path: '/v1/bookings/zod' };
SCENARIOS['POST 422 zod'] = { ...SCENARIOS['POST 422'], path: '/v1/bookings/zod', status: 422 };
SCENARIOS['GET query'] = {
  path: '/v1/locations?limit=10',
  headers: { 'x-api-key': AUTHORITY },
  status: 200,
};
/** What validation costs: class-validator DTOs (compiled and not), a zod schema, a query DTO. */
const DTO_SCENARIOS = ['POST 201', 'POST 422', 'GET query'];
const VALIDATION_SCENARIOS = [...DTO_SCENARIOS, 'POST 201 zod', 'POST 422 zod'];
const LIBRARY_SCENARIOS = [...SHARED_SCENARIOS, 'POST 201 zod', 'POST 422 zod', 'GET query'];
const APPS = {
  raw: { entry: 'bench/apps/raw-http.mjs', scenarios: ['GET 200'], env: () => ({}) },
  bare: { entry: 'dist/bench/apps/bare.js', scenarios: ['GET 200', 'POST 201'], env: () => ({}) },
  stock: {
    entry: 'dist/bench/apps/stock.js',
    scenarios: SHARED_SCENARIOS,
    env: (s) =>
      s.limited
        ? { RATE_LIMIT_PER_MINUTE: '1' }
        : { RATE_LIMIT_PER_MINUTE: '1000000000', RATE_LIMIT_PER_HOUR: '1000000000' },
  },
  library: {
    entry: 'dist/sample-app/src/main.js',
    scenarios: LIBRARY_SCENARIOS,
    env: (s) => (s.limited ? { ...UNLIMITED, RATE_LIMIT_PER_MINUTE: '1' } : UNLIMITED),
  },
  // The same sample app validating its DTOs with class-validator itself (no compiled plans).
  'library-cv': {
    entry: 'dist/sample-app/src/main.js',
    scenarios: DTO_SCENARIOS,
    env: () => ({ ...UNLIMITED, VALIDATION_COMPILE: 'false' }),
  },
  'library+als': {
    entry: 'dist/sample-app/src/main.js',
    scenarios: ['GET 200'],
    env: () => ({ ...UNLIMITED, ASYNC_CONTEXT: 'true' }),
  },
  redis: {
    entry: 'dist/sample-app/src/main.js',
    scenarios: SHARED_SCENARIOS,
    env: (s) => ({
      ...(s.limited ? { ...UNLIMITED, RATE_LIMIT_PER_MINUTE: '1' } : UNLIMITED),
      REDIS_URL,
      REDIS_PREFIX: `bench:${randomUUID()}:`,
    }),
  },
};
const PLATFORMS = ['express', 'fastify'];

function cannon(scenario, duration, extra = {}) {
  const request = {
    method: scenario.method ?? 'GET',
    path: scenario.path,
    headers: scenario.headers,
  };
  if (scenario.body) request.body = scenario.body;
  if (scenario.unique) request.setupRequest = (req) => ({ ...req, body: validBooking() });
  return autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration,
    requests: [request],
    ...extra,
  });
}

function statusesOk(result, expected) {
  const classes = [
    ...new Set(
      (Array.isArray(expected) ? expected : [expected]).map((s) => `${Math.floor(s / 100)}xx`),
    ),
  ];
  const matching = classes.reduce((sum, c) => sum + (result[c] ?? 0), 0);
  return matching === result.requests.total
    ? ''
    : `only ${matching} of ${result.requests.total} answered ${expected}`;
}

async function measure(app, platform, name) {
  const scenario = SCENARIOS[name];
  const server = await startServer(
    APPS[app].entry,
    { HTTP_PLATFORM: platform, ...APPS[app].env(scenario) },
    PORT,
  );
  try {
    await cannon(scenario, WARMUP);
    const cpuBefore = cpuMicros(server.pid);
    const result = await cannon(scenario, DURATION);
    const cpu = cpuMicros(server.pid) - cpuBefore;
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuPerRequest: cpu / Math.max(1, result.requests.total),
      rss: rssMegabytes(server.pid),
      problem:
        statusesOk(result, scenario.status) || (result.errors ? `${result.errors} errors` : ''),
    };
  } finally {
    await stopServer(server);
  }
}

/** Requests per second of every second of a long run of GET 200 (library, in memory, Fastify). */
async function soak() {
  const server = await startServer(
    APPS.library.entry,
    { HTTP_PLATFORM: 'fastify', ...UNLIMITED },
    PORT,
  );
  try {
    const samples = [];
    const instance = cannon(SCENARIOS['GET 200'], SOAK);
    instance.on('tick', ({ counter }) => samples.push(counter));
    await instance;
    const first = samples.slice(0, 10);
    const last = samples.slice(-10);
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      seconds: samples.length,
      first: mean(first),
      last: mean(last),
      ratio: mean(last) / mean(first),
    };
  } finally {
    await stopServer(server);
  }
}

/**
 * RSS growth over MEMORY_REQUESTS requests spread over MEMORY_KEYS distinct keys. RSS is read
 * after a full collection on both sides (what is retained, not garbage awaiting the collector);
 * the highest RSS seen during the run, garbage included, is reported beside it.
 */
async function memory() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-keys-'));
  const file = join(dir, 'keys.json');
  const keys = Array.from(
    { length: MEMORY_KEYS },
    (_, i) => `bench_key_${i}_${randomUUID().slice(0, 8)}`,
  );
  const entries = keys.map((key, i) => ({
    id: `key_${i}`,
    key,
    organizationId: `org_${i % 1000}`,
    tier: 'local',
    scopes: [],
    expiresAt: null,
    revokedAt: null,
  }));
  writeFileSync(file, JSON.stringify({ keys: entries }));
  const server = await startServer(
    APPS.library.entry,
    { HTTP_PLATFORM: 'fastify', API_KEYS_FILE: file, ...UNLIMITED },
    PORT,
    ['--expose-gc', '--import', join(ROOT, 'bench/gc-on-signal.mjs')],
  );
  try {
    let i = 0;
    const request = {
      method: 'GET',
      path: '/v1/me',
      setupRequest: (req) => ({ ...req, headers: { 'x-api-key': keys[i++ % keys.length] } }),
    };
    const warm = Math.min(20_000, Math.floor(MEMORY_REQUESTS / 10));
    await autocannon({
      url: `http://127.0.0.1:${PORT}`,
      connections: CONNECTIONS,
      amount: warm,
      requests: [request],
    });
    const before = await collectedRssMegabytes(server);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMegabytes(server.pid))), 250);
    let result;
    try {
      result = await autocannon({
        url: `http://127.0.0.1:${PORT}`,
        connections: CONNECTIONS,
        amount: MEMORY_REQUESTS,
        requests: [request],
      });
    } finally {
      clearInterval(sampler);
    }
    const after = await collectedRssMegabytes(server);
    return {
      requests: result.requests.total,
      ok: result['2xx'],
      keys: MEMORY_KEYS,
      before,
      after,
      peak,
      growth: after - before,
    };
  } finally {
    await stopServer(server);
  }
}

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';

/**
 * What validation costs in the sample app, interleaved over the rounds on both platforms: the
 * booking DTO (POST 201 and 422) and the locations query DTO (GET query) through compiled plans
 * (the default) and through class-validator itself (`VALIDATION_COMPILE=false`), the booking
 * through a zod schema (`/v1/bookings/zod`), and GET 200 (`/v1/me`, no DTO) as the
 * yardstick of the query route. Medians of requests per second and server CPU per request.
 */
async function validation() {
  const runs = {};
  const record = (platform, name, result) => ((runs[platform] ??= {})[name] ??= []).push(result);
  for (let round = 0; round < ROUNDS; round++) {
    for (const platform of PLATFORMS) {
      for (const scenario of [...VALIDATION_SCENARIOS, 'GET 200']) {
        const result = await measure('library', platform, scenario);
        if (result.problem) throw new Error(`${platform} ${scenario}: ${result.problem}`);
        record(platform, scenario, result);
      }
      for (const scenario of DTO_SCENARIOS) {
        const result = await measure('library-cv', platform, scenario);
        if (result.problem) throw new Error(`${platform} ${scenario} (cv): ${result.problem}`);
        record(platform, `${scenario} cv`, result);
      }
    }
  }
  const of = (platform, name, key = 'rps') => median(runs[platform][name].map((r) => r[key]));
  const rows = [
    '| platform | scenario | compiled req/s | class-validator req/s | compiled ÷ class-validator | zod req/s | CPU µs/req: compiled, class-validator, zod |',
    '| -------- | -------- | -------------: | --------------------: | -------------------------: | --------: | -----------------------------------------: |',
  ];
  for (const platform of PLATFORMS) {
    for (const scenario of DTO_SCENARIOS) {
      const compiled = of(platform, scenario);
      const classic = of(platform, `${scenario} cv`);
      const zod = runs[platform][`${scenario} zod`] ? of(platform, `${scenario} zod`) : NaN;
      const cpu = [scenario, `${scenario} cv`, `${scenario} zod`].map((name) =>
        runs[platform][name] ? fmt(of(platform, name, 'cpuPerRequest')) : '–',
      );
      rows.push(
        `| ${platform} | ${scenario} | ${fmt(compiled)} | ${fmt(classic)} | ${fmt(compiled / classic, 2)} | ${fmt(zod)} | ${cpu.join(', ')} |`,
      );
    }
    rows.push(
      `| ${platform} | GET 200 (no DTO) | ${fmt(of(platform, 'GET 200'))} | | | | ${fmt(of(platform, 'GET 200', 'cpuPerRequest'))} |`,
    );
  }
  const pipe = pipeTable(await measurePipe());
  return `${ROUNDS} interleaved rounds of ${DURATION} s, ${CONNECTIONS} connections, medians\n\n${rows.join('\n')}\n\nThe pipe alone (bench/pipe.mjs):\n\n${pipe}`;
}

/**
 * `--only soak`, `--only memory` or `--only validation`: that part alone, printed,
 * docs/benchmarks.md untouched.
 */
async function only(part) {
  const parts = { soak, memory, validation };
  if (!parts[part]) throw new Error(`--only takes ${Object.keys(parts).join(' or ')}`);
  console.log(part, await parts[part]());
}

async function main() {
  const onlyAt = argv.indexOf('--only');
  if (onlyAt !== -1) return only(argv[onlyAt + 1]);
  const started = new Date();
  const measurements = [];
  for (const platform of PLATFORMS) {
    for (const app of Object.keys(APPS)) {
      for (const scenario of APPS[app].scenarios) measurements.push({ app, platform, scenario });
    }
  }
  const samples = new Map();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const m of measurements) {
      const key = `${m.app}|${m.platform}|${m.scenario}`;
      const sample = await measure(m.app, m.platform, m.scenario);
      if (!samples.has(key)) samples.set(key, []);
      samples.get(key).push(sample);
      console.log(
        `round ${round} ${m.platform.padEnd(7)} ${m.app.padEnd(7)} ${m.scenario.padEnd(8)} ${fmt(sample.rps).padStart(7)} req/s p50 ${sample.p50} ms p99 ${sample.p99} ms ${fmt(sample.cpuPerRequest)} µs/req ${fmt(sample.rss)} MB ${sample.problem}`,
      );
    }
  }
  const med = (app, platform, scenario, field = 'rps') => {
    const list = samples.get(`${app}|${platform}|${scenario}`);
    return list ? median(list.map((s) => s[field])) : NaN;
  };

  console.log(`soak: ${SOAK} s of GET 200 (library, Fastify)…`);
  const soakResult = await soak();
  console.log(`memory: ${MEMORY_REQUESTS} requests over ${MEMORY_KEYS} keys…`);
  const memoryResult = await memory();
  console.log('validation pipe alone…');
  const pipe = await measurePipe();
  console.log(pipeTable(pipe));
  console.log('401 timing…');
  const timing = [];
  for (const platform of PLATFORMS) timing.push(await measureAuthTiming(platform, PORT));

  const rows = [];
  for (const m of measurements.filter(
    (m, i, all) =>
      all.findIndex(
        (o) => o.app === m.app && o.platform === m.platform && o.scenario === m.scenario,
      ) === i,
  )) {
    const list = samples.get(`${m.app}|${m.platform}|${m.scenario}`);
    const problems = [...new Set(list.map((s) => s.problem).filter(Boolean))].join('; ');
    rows.push(
      `| ${m.platform} | ${m.app} | ${m.scenario} | ${fmt(med(m.app, m.platform, m.scenario))} | ${fmt(med(m.app, m.platform, m.scenario, 'p50'))} | ${fmt(med(m.app, m.platform, m.scenario, 'p99'))} | ${fmt(med(m.app, m.platform, m.scenario, 'cpuPerRequest'))} | ${fmt(med(m.app, m.platform, m.scenario, 'rss'))} | ${problems} |`,
    );
  }

  const targets = [];
  const target = (what, value, goal, met) => targets.push({ what, value, goal, met });
  target(
    'library ÷ bare Nest, GET 200, Fastify',
    med('library', 'fastify', 'GET 200') / med('bare', 'fastify', 'GET 200'),
    '≥ 0.6',
    (v) => v >= 0.6,
  );
  target(
    'library ÷ bare Nest, GET 200, Express',
    med('library', 'express', 'GET 200') / med('bare', 'express', 'GET 200'),
    '≥ 0.8',
    (v) => v >= 0.8,
  );
  target(
    'library ÷ stock pipeline, GET 200, Fastify',
    med('library', 'fastify', 'GET 200') / med('stock', 'fastify', 'GET 200'),
    '≥ 10',
    (v) => v >= 10,
  );
  for (const platform of PLATFORMS) {
    for (const scenario of ['GET 401', 'GET 403', 'GET 429']) {
      target(
        `library ${scenario} ÷ library GET 200, ${platform}`,
        med('library', platform, scenario) / med('library', platform, 'GET 200'),
        '≥ 1.0',
        (v) => v >= 1,
      );
    }
    for (const scenario of ['POST 201', 'POST 422']) {
      target(
        `library ÷ stock, ${scenario}, ${platform}`,
        med('library', platform, scenario) / med('stock', platform, scenario),
        '≥ 1.0',
        (v) => v >= 1,
      );
    }
  }
  for (const platform of PLATFORMS) {
    const goal = platform === 'fastify' ? 0.6 : 0.8;
    target(
      `library ÷ bare Nest, POST 201, ${platform}`,
      med('library', platform, 'POST 201') / med('bare', platform, 'POST 201'),
      `≥ ${goal}`,
      (v) => v >= goal,
    );
    target(
      `library POST 422 ÷ library POST 201, ${platform}`,
      med('library', platform, 'POST 422') / med('library', platform, 'POST 201'),
      '≥ 1.0',
      (v) => v >= 1,
    );
    target(
      `library GET /v1/locations?limit=10 ÷ GET /v1/me, ${platform}`,
      med('library', platform, 'GET query') / med('library', platform, 'GET 200'),
      '≥ 0.9',
      (v) => v >= 0.9,
    );
    for (const scenario of DTO_SCENARIOS) {
      target(
        `compiled ÷ class-validator, ${scenario}, ${platform}`,
        med('library', platform, scenario) / med('library-cv', platform, scenario),
        '≥ 1.0',
        (v) => v >= 1,
      );
    }
  }
  for (const platform of PLATFORMS) {
    for (const scenario of ['POST 201', 'POST 422']) {
      target(
        `zod ÷ class-validator, ${scenario}, ${platform}`,
        med('library', platform, `${scenario} zod`) / med('library', platform, scenario),
        '≥ 1.0',
        (v) => v >= 1,
      );
    }
  }
  target(
    'Redis ÷ in-memory, GET 200, Fastify',
    med('redis', 'fastify', 'GET 200') / med('library', 'fastify', 'GET 200'),
    '≥ 0.5',
    (v) => v >= 0.5,
  );
  target(
    `throughput over ${soakResult.seconds} s, last 10 s ÷ first 10 s`,
    soakResult.ratio,
    '≥ 0.9',
    (v) => v >= 0.9,
  );
  target(
    `RSS growth after ${fmt(memoryResult.requests)} requests over ${fmt(memoryResult.keys)} keys (MB)`,
    memoryResult.growth,
    '< 50',
    (v) => v < 50,
  );
  for (const t of timing)
    target(
      `401 timing spread (every failure kind), ${t.platform}`,
      t.spread * 100,
      `< ${TARGET_SPREAD * 100} %`,
      (v) => v < TARGET_SPREAD * 100,
    );

  const targetRows = targets.map(
    (t) =>
      `| ${t.what} | ${fmt(t.value, 2)} | ${t.goal} | ${t.met(t.value) ? 'met' : '**missed**'} |`,
  );
  for (const t of targets)
    console.log(
      `${t.met(t.value) ? 'met   ' : 'MISSED'} ${t.what}: ${fmt(t.value, 2)} (${t.goal})`,
    );

  const missed = targets.filter((t) => !t.met(t.value)).map((t) => t.what);
  const verdict =
    missed.length === 0
      ? 'Every target is met in this run.'
      : `Missed in this run: ${missed.join('; ')}. What profiling found about them is under "What remains" in [performance.md](performance.md).`;

  const doc = `# Benchmarks

\`npm run bench\` (\`node bench/run.mjs\` after a build), run ${started.toISOString()} on this project's CI machine kind
(2 cores, shared; Node ${process.version}). Every figure below comes from that one run: ${ROUNDS} interleaved round(s), a
fresh server process per measurement, autocannon with ${CONNECTIONS} connections, ${WARMUP} s warm-up and ${DURATION} s
measured; medians over the rounds. Load generator and server share the 2 cores, so absolute numbers are low and only the
ratios, taken within the run, are meant to be compared.

- **raw**: \`node:http\` answering the same JSON (\`bench/apps/raw-http.mjs\`), the physical limit.
- **bare**: Nest with the same routes and nothing else (\`bench/apps/bare.ts\`).
- **stock**: a hand-written API-key guard over a Map, \`@nestjs/throttler\` with its default storage (per-key minute and
  hour throttlers) and the stock \`ValidationPipe\` (\`bench/apps/stock.ts\`).
- **library**: the sample app, in-memory stores (\`asyncContext\` off, as the sample app ships).
  **library+als**: the same with \`ASYNC_CONTEXT=true\` (AsyncLocalStorage for \`getRequestId()\`, the library's default).
  **library-cv**: the same with \`VALIDATION_COMPILE=false\` (DTOs validated by class-validator and class-transformer
  themselves rather than by compiled plans).
  **redis**: the sample app with \`REDIS_URL\` (rate limits in Redis).

What profiling found, and what was changed, is in [performance.md](performance.md).

Scenarios: GET \`/v1/me\` with a valid key (200), without a key (401), \`/v1/reports\` with a local-tier key (403), over
the limit (429, limit 1 a minute), POST \`/v1/bookings\` with a valid booking (201, every body a new slot) and with an
invalid nested one (422; 400 for stock), and the same two against \`/v1/bookings/zod\` (\`POST 201 zod\`, \`POST 422 zod\`:
the same route validated by a zod schema instead of class-validator), and GET \`/v1/locations?limit=10\` (\`GET query\`:
a query DTO, \`@Type(() => Number)\`, \`@IsInt\`, \`@Min\`, \`@Max\`). Limits are set out of reach except in the 429
scenario.

## Targets

| target | value | goal | |
| --- | --- | --- | --- |
${targetRows.join('\n')}

${verdict}

## Every measurement (medians)

| platform | app | scenario | req/s | p50 ms | p99 ms | server CPU µs/req | RSS MB | notes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

## Long run and memory

- Throughput over ${soakResult.seconds} s (library, Fastify, GET 200): first 10 s ${fmt(soakResult.first)} req/s, last 10 s ${fmt(soakResult.last)} req/s, ratio ${fmt(soakResult.ratio, 2)}.
- ${fmt(memoryResult.requests)} requests (${fmt(memoryResult.ok)} answered 2xx) over ${fmt(memoryResult.keys)} distinct keys in 1,000 organizations (library, in-memory stores, Fastify): RSS after a full collection ${fmt(memoryResult.before)} MB after warm-up, ${fmt(memoryResult.after)} MB after, growth ${fmt(memoryResult.growth, 1)} MB; the highest RSS seen during the run, uncollected garbage included, was ${fmt(memoryResult.peak)} MB.

## The validation pipe alone

\`ApiValidationPipe.transform\` in one process (\`bench/pipe.mjs\`: no HTTP, medians of 5 interleaved rounds of 20,000
calls, the cost of parsing the input taken out), with the sample app's options, DTOs compiled (the default) and walked by
class-validator and class-transformer (\`validation.compile: false\`).

${pipeTable(pipe)}

## 401 timing

${timingTable(timing)}
`;
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), doc);
  console.log('wrote docs/benchmarks.md');
}

await main();
