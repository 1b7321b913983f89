import {
  Injectable,
  Logger,
  type FactoryProvider,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { ResolvedRedisConnection } from './redis.options.js';

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
    // disconnect() on a connection that is already gone waits this long for a close that never
    // comes (2 s by default), holding the process open after shutdown.
    disconnectTimeout: 200,
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

/**
 * The Redis clients the library created for its stores, closed when the app shuts down; an
 * app's own client is handed back as it is and never closed.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly owned: Redis[] = [];

  /** The app's client, or a new one connected to the URL (and closed at shutdown). */
  async clientFor(options: ResolvedRedisConnection): Promise<Redis> {
    if (options.client) return options.client;
    const client = await createRedisClient(options.url as string, options.commandTimeoutMs);
    this.owned.push(client);
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    const clients = this.owned.splice(0);
    await Promise.all(clients.map(closeRedisClient));
  }
}

/** What a feature's store provider is told to choose from. */
export interface StoreChoice<S> {
  readonly store: S | undefined;
  readonly redis: ResolvedRedisConnection | undefined;
}

/**
 * A store as a factory provider, as `@nestjs/throttler` provides its storage: the app's own
 * store, else a Redis store when Redis is configured, else an in-memory one. Serves rate
 * limits and idempotency alike; ioredis is imported only when Redis is configured.
 */
export function storeProvider<S, O extends StoreChoice<S>>(
  token: symbol,
  optionsToken: symbol,
  build: {
    readonly memory: () => S;
    readonly redis: (client: Redis, options: O) => S;
  },
): FactoryProvider<Promise<S>> {
  return {
    provide: token,
    useFactory: async (options: O | undefined, connections: RedisConnections): Promise<S> => {
      if (options?.store) return options.store;
      if (options?.redis) return build.redis(await connections.clientFor(options.redis), options);
      return build.memory();
    },
    inject: [optionsToken, RedisConnections],
  };
}
