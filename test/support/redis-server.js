// The Redis the tests use: the one at REDIS_URL (default redis://127.0.0.1:6379) when it answers,
// else a redis-server of this run's own on a free port, so that `npm test` needs nothing running.
// Jest's global setup runs ensureRedis() before any test and hands REDIS_URL to the test workers
// through process.env; the global teardown calls stopRedis().
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import { Redis } from 'ioredis';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const INSTALL = [
  '  Debian, Ubuntu:  sudo apt-get install redis-server',
  '  Fedora:          sudo dnf install redis',
  '  macOS:           brew install redis',
].join('\n');

/** Where the server this run started is kept between setup and teardown (same process). */
const OWN = Symbol.for('nest-api-errors.test.redis-server');

async function answers(url) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // Never connected: no socket to close, and disconnect() would leave ioredis's 2 s timer.
    if (client.status !== 'end') client.disconnect();
  }
}

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts redis-server on a free port; resolves with it once it answers, or rejects. */
async function startOwn() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk) => {
    if (output.length < 10_000) output += chunk;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  // redis-server says when it is ready; no need to ask it in a loop.
  let timer;
  const ready = await Promise.race([
    new Promise((resolve) => {
      const check = () => /Ready to accept connections/.test(output) && resolve(true);
      child.stdout.on('data', check);
      child.stderr.on('data', check);
    }),
    exited.then(() => false),
    new Promise((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
  ]);
  clearTimeout(timer);
  if (ready && (await answers(url))) return { child, url, exited };
  child.kill('SIGKILL');
  const { code, signal } = await exited;
  throw new Error(
    `redis-server on port ${port} did not answer (exit ${code ?? signal}):\n${output.trim()}`,
  );
}

/** Fails, naming the install command, when there is no redis-server on PATH. */
export function requireRedisServer(why) {
  if (!spawnSync('redis-server', ['--version']).error) return;
  throw new Error(`${why}, and there is no redis-server on PATH. Install it:\n${INSTALL}`);
}

/** Makes sure a Redis answers at process.env.REDIS_URL, starting one if needed. */
export default async function ensureRedis() {
  if (globalThis[OWN]) return;
  const wanted = process.env.REDIS_URL || DEFAULT_URL;
  if (await answers(wanted)) return;
  requireRedisServer(`The tests need Redis: nothing answers at ${wanted} (REDIS_URL)`);
  let own;
  for (let attempt = 1; !own; attempt++) {
    try {
      own = await startOwn();
    } catch (error) {
      // Another process may have taken the free port between the check and the bind: try again.
      if (attempt === 3) throw error;
    }
  }
  globalThis[OWN] = own;
  // Should Jest end without its teardown, the server still goes with it.
  process.once('exit', () => own.child.kill('SIGKILL'));
  process.env.REDIS_URL = own.url;
  process.stderr.write(
    `\nNothing answers at ${wanted}: this run uses a redis-server of its own at ${own.url}.\n`,
  );
}

/** Stops the server ensureRedis() started, if it started one. */
export async function stopRedis() {
  const own = globalThis[OWN];
  if (!own) return;
  globalThis[OWN] = undefined;
  own.child.kill('SIGTERM');
  await own.exited;
}
