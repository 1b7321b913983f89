import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { observeProcess, type Observation } from './observed-statuses.js';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `check` until it returns true or `ms` pass. */
export async function waitFor(
  check: () => Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Resolves once `child` writes a line matching `pattern` (to stdout or stderr); rejects when it
 * exits first or `ms` pass. What a process says when it is ready, instead of asking it in a loop.
 */
export async function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  ms: number,
  what: string,
): Promise<void> {
  let output = '';
  let onData: ((chunk: Buffer) => void) | undefined;
  let onExit: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onData = (chunk) => {
        output += chunk;
        if (pattern.test(output)) resolve();
      };
      onExit = () => reject(new Error(`${what} exited before it was ready:\n${output}`));
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}:\n${output}`)), ms);
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', onExit);
    });
  } finally {
    clearTimeout(timer);
    if (onData) {
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
    }
    if (onExit) child.off('exit', onExit);
  }
}

export interface SampleProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs the built sample app (dist/, built by the e2e global setup) as its own process. */
export async function spawnSampleApp(env: Record<string, string>): Promise<SampleProcess> {
  const port = await freePort();
  // REDIS_URL in the test run's environment names the tests' Redis; a sample app uses Redis only
  // when the test says so in `env`.
  const { REDIS_URL: _url, REDIS_PREFIX: _prefix, ...inherited } = process.env;
  // What the process answers is recorded for the check that every status is documented.
  const logDir = mkdtempSync(join(tmpdir(), 'sample-statuses-'));
  const statusLog = join(logDir, 'statuses.jsonl');
  const recorder = pathToFileURL(resolve('test/support/record-statuses.mjs')).href;
  const child = spawn(process.execPath, ['dist/sample-app/src/main.js'], {
    env: {
      ...inherited,
      ...env,
      PORT: String(port),
      NODE_OPTIONS: `${inherited.NODE_OPTIONS ?? ''} --import ${recorder}`.trim(),
      STATUS_LOG: statusLog,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  let record: ((observations: Observation[]) => void) | undefined;
  const collect = () => {
    let lines: string[] = [];
    try {
      lines = readFileSync(statusLog, 'utf8').split('\n').filter(Boolean);
    } catch {
      // Nothing answered, nothing written.
    }
    record?.(lines.map((line) => JSON.parse(line) as Observation));
    record = undefined;
    rmSync(logDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return collect();
    child.kill('SIGTERM');
    // The grace timer is cleared once the process is gone: left running, it kept Jest from
    // exiting ("did not exit one second after the test run has completed").
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      once(child, 'exit'),
      new Promise((resolve) => (grace = setTimeout(resolve, 3000))),
    ]);
    clearTimeout(grace);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    collect();
  };
  try {
    // The sample app logs this line once it listens.
    await waitForLine(child, /listening on http:\/\//, 20_000, 'the sample app');
  } catch (error) {
    await stop();
    throw error;
  }
  record = observeProcess(url, JSON.stringify(env));
  return { url, child, output: () => output, stop };
}

/** A Redis server of the test's own, on its own port, that the test may stop and restart. */
export class OwnRedis {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Freezes the server (SIGSTOP): connections stay open, commands wait unanswered. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server go on (SIGCONT) and resolves once it answers a PING again. */
  async resume(): Promise<void> {
    this.child?.kill('SIGCONT');
    await this.answers();
  }

  async restart(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitForLine(
      this.child,
      /Ready to accept connections/,
      10_000,
      `redis-server on ${this.port}`,
    );
    // Read on, so that a full pipe never blocks the server's log.
    this.child.stdout?.resume();
    this.child.stderr?.resume();
  }

  /** Resolves once the server answers a PING on a fresh connection. */
  private async answers(): Promise<void> {
    const { Redis } = await import('ioredis');
    await waitFor(
      async () => {
        const probe = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          // A probe that never connected has no socket left; disconnect() would still start
          // ioredis's 2 s timer for closing it, which nothing clears and which keeps Jest alive.
          if (probe.status !== 'end') probe.disconnect();
        }
      },
      10_000,
      `redis-server on ${this.port}`,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    // Already gone: its 'exit' has been emitted and would never come again.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}
