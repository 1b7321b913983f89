import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** How long the start waits for a first connection before serving without one. */
const FIRST_CONNECTION_MS = 2000;

/**
 * A client for the library's own use: no offline queue and a command timeout, so that Redis
 * down or slow fails a command at once instead of holding the request; reconnects on its own,
 * never more than 1 s apart. ioredis is imported only here, and only when Redis is configured.
 */
export async function createRedisClient(url: string, commandTimeoutMs: number): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  });
  // Failures surface per command, where the stores log them; this keeps ioredis quiet.
  client.on('error', () => undefined);
  // Without an offline queue, commands sent before the first connection would fail: wait for it,
  // briefly. Redis down at start is no reason not to start (the stores fail open or closed).
  const ready = await new Promise<boolean>((resolve) => {
    const settle = (connected: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      resolve(connected);
    };
    const onReady = () => settle(true);
    // A refused connection is an answer: no need to wait out the timer.
    const onError = () => settle(false);
    const timer = setTimeout(() => settle(false), FIRST_CONNECTION_MS);
    client.once('ready', onReady);
    client.once('error', onError);
  });
  if (!ready)
    new Logger('Redis').warn(`no connection to ${redactUrl(url)} yet; starting without it`);
  return client;
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'Redis';
  }
}

/** Closes a client the library created. */
export async function closeRedisClient(client: Redis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}

/** Where a store's Redis client comes from: the app's own, or one built from a URL. */
export interface RedisConnectionOptions {
  readonly url?: string;
  readonly client?: Redis;
  readonly commandTimeoutMs: number;
}

/**
 * Base of the providers that hold a store: hands out the app's client or creates one from the
 * URL, and closes only a client it created when the app shuts down.
 */
export abstract class RedisClientHolder {
  private ownedClient: Redis | undefined;

  protected async clientFor(options: RedisConnectionOptions): Promise<Redis> {
    if (options.client) return options.client;
    this.ownedClient = await createRedisClient(options.url as string, options.commandTimeoutMs);
    return this.ownedClient;
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.ownedClient;
    this.ownedClient = undefined;
    if (client) await closeRedisClient(client);
  }
}
