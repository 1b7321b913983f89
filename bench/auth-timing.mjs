// Timing of failed authentications: missing, unknown, revoked and expired keys must not be told
// apart by latency. Sends 2,000 requests per kind, interleaved (A B C D A B C D …) over one
// keep-alive connection to the built sample app, and compares the median latencies.
// Usage: node bench/auth-timing.mjs [--platform express|fastify] [--requests 2000]
import { request, Agent } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, median, startServer, stopServer } from './lib.mjs';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]]));
const platforms = args.has('--platform') ? [args.get('--platform')] : ['express', 'fastify'];
const perKind = Number(args.get('--requests') ?? 2000);
const KINDS = {
  missing: undefined,
  unknown: 'demo_authority_org_a_4f9c2e7b1e',
  revoked: 'demo_revoked_org_a_7f3a9c1e5d',
  expired: 'demo_expired_org_a_1b5d7f9a3c',
};

function timedGet(agent, port, key) {
  return new Promise((resolve, reject) => {
    const headers = key === undefined ? {} : { 'x-api-key': key };
    const started = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path: '/v1/me', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 401) reject(new Error(`expected 401, got ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1000);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function measureAuthTiming(platform, port = 3900) {
  const server = await startServer(
    'dist/sample-app/src/main.js',
    { HTTP_PLATFORM: platform, AUTH_FAILURES_PER_MINUTE: '0' },
    port,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const names = Object.keys(KINDS);
    for (let i = 0; i < 200; i++) await timedGet(agent, port, KINDS[names[i % names.length]]); // warm-up
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let i = 0; i < perKind; i++) {
      for (const name of names) samples[name].push(await timedGet(agent, port, KINDS[name]));
    }
    const medians = Object.fromEntries(names.map((name) => [name, median(samples[name])]));
    const values = Object.values(medians);
    const spread = (Math.max(...values) - Math.min(...values)) / Math.min(...values);
    return { platform, perKind, medians, spread };
  } finally {
    agent.destroy();
    await stopServer(server);
  }
}

export function timingTable(results) {
  const lines = [
    '| platform | requests per kind | missing µs | unknown µs | revoked µs | expired µs | spread | target < 10% |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const m = r.medians;
    lines.push(
      `| ${r.platform} | ${r.perKind} | ${m.missing.toFixed(0)} | ${m.unknown.toFixed(0)} | ${m.revoked.toFixed(0)} | ${m.expired.toFixed(0)} | ${(r.spread * 100).toFixed(1)}% | ${r.spread < 0.1 ? 'met' : 'missed'} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = [];
  for (const platform of platforms) results.push(await measureAuthTiming(platform));
  const table = timingTable(results);
  console.log(table);
  const doc = `# 401 timing\n\nMedian latency of failed authentications on \`GET /v1/me\`, ${perKind} requests per kind, interleaved over one keep-alive connection (\`node bench/auth-timing.mjs\`, run ${new Date().toISOString()}).\nThe spread is (slowest median − fastest median) ÷ fastest median.\n\n${table}\n`;
  writeFileSync(join(ROOT, 'docs/auth-timing.md'), doc);
  if (results.some((r) => r.spread >= 0.1)) process.exitCode = 1;
}
