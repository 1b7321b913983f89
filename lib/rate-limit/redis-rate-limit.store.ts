import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { OutageLog } from '../shared/outage-log.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import type {
  ConsumeResult,
  RateLimitStore,
  WindowCheck,
  WindowState,
} from './rate-limit.types.js';

/**
 * All-or-nothing over every counter of a request, in one round trip. KEYS are the counters;
 * ARGV holds limit and ttl (ms) per counter. A counter without a TTL is stale and starts over.
 * Returns { admitted, count1, pttl1, count2, pttl2, … } after the decision.
 */
export const CONSUME_SCRIPT = `
local n = #KEYS
local counts, pttls = {}, {}
local admitted = 1
for i = 1, n do
  local limit = tonumber(ARGV[2 * i - 1])
  local ttl = tonumber(ARGV[2 * i])
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  local pttl = redis.call('PTTL', KEYS[i])
  if pttl < 0 then count = 0; pttl = ttl end
  counts[i], pttls[i] = count, pttl
  if count + 1 > limit then admitted = 0 end
end
local reply = { admitted }
for i = 1, n do
  if admitted == 1 then
    if counts[i] == 0 then
      redis.call('SET', KEYS[i], 1, 'PX', ARGV[2 * i])
    else
      redis.call('INCR', KEYS[i])
    end
    counts[i] = counts[i] + 1
  end
  reply[2 * i] = counts[i]
  reply[2 * i + 1] = pttls[i]
end
return reply
`;

/**
 * The counters as they stand, changing nothing. KEYS are the counters; returns
 * { count1, pttl1, count2, pttl2, … }, with pttl -1 for a counter not started (or stale).
 */
export const PEEK_SCRIPT = `
local reply = {}
for i = 1, #KEYS do
  local pttl = redis.call('PTTL', KEYS[i])
  local count = 0
  if pttl >= 0 then count = tonumber(redis.call('GET', KEYS[i]) or '0') else pttl = -1 end
  reply[2 * i - 1] = count
  reply[2 * i] = pttl
end
return reply
`;

type ConsumeCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<number[]>;

/** What the Redis store does when Redis fails or is slow. */
export interface RedisRateLimitStoreOptions {
  /**
   * Answer 503 service_unavailable (with Retry-After) instead of falling back to a local
   * in-memory limiter.
   * @default false
   */
  failClosed?: boolean;
  /** Prefix of every counter key. @default 'rl:' */
  prefix?: string;
}

/**
 * Counters in Redis, shared by every instance: N instances together admit exactly the limit.
 * Redis down or slow (the client's command timeout; no offline queue) never hangs a request or
 * answers 500: by default it falls back to a local in-memory limiter and logs a warning, or with
 * `failClosed` answers 503.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly fallback = new MemoryRateLimitStore();
  private readonly failClosed: boolean;
  private readonly outage: OutageLog;
  readonly prefix: string;

  constructor(
    private readonly client: Redis,
    options: RedisRateLimitStoreOptions = {},
  ) {
    this.failClosed = options.failClosed ?? false;
    this.prefix = options.prefix ?? 'rl:';
    this.outage = new OutageLog(
      new Logger('RateLimit'),
      'Redis',
      this.failClosed
        ? 'answering 503 until it answers'
        : 'falling back to the in-memory limiter until it answers',
    );
    if (typeof (client as unknown as Record<string, unknown>).nestApiErrorsConsume !== 'function') {
      client.defineCommand('nestApiErrorsConsume', { lua: CONSUME_SCRIPT });
    }
    if (typeof (client as unknown as Record<string, unknown>).nestApiErrorsPeek !== 'function') {
      client.defineCommand('nestApiErrorsPeek', { lua: PEEK_SCRIPT, readOnly: true });
    }
  }

  async consume(checks: readonly WindowCheck[], now: number): Promise<ConsumeResult> {
    const args: (string | number)[] = checks.map((check) => this.prefix + check.key);
    for (const check of checks) args.push(check.limit, check.ttlMs);
    let reply: number[];
    try {
      const consume = (this.client as unknown as { nestApiErrorsConsume: ConsumeCommand })
        .nestApiErrorsConsume;
      reply = await consume.call(this.client, checks.length, ...args);
    } catch (error) {
      return this.unavailable(error, () => this.fallback.consumeNow(checks, now));
    }
    this.outage.recovered();
    const windows: WindowState[] = checks.map((check, i) => ({
      limit: check.limit,
      remaining: Math.max(0, check.limit - Number(reply[1 + 2 * i])),
      resetAt: now + Number(reply[2 + 2 * i]),
    }));
    return { admitted: reply[0] === 1, windows };
  }

  /**
   * Reads the counters in one round trip, changing nothing. When Redis fails it reads the local
   * fallback's counters (what this instance would decide with), or with `failClosed` rethrows.
   */
  async peek(checks: readonly WindowCheck[], now: number): Promise<WindowState[]> {
    let reply: number[];
    try {
      const peek = (this.client as unknown as { nestApiErrorsPeek: ConsumeCommand })
        .nestApiErrorsPeek;
      reply = await peek.call(
        this.client,
        checks.length,
        ...checks.map((check) => this.prefix + check.key),
      );
    } catch (error) {
      return this.unavailable(error, () => this.fallback.peek(checks, now));
    }
    this.outage.recovered();
    return checks.map((check, i) => {
      const pttl = Number(reply[1 + 2 * i]);
      return {
        limit: check.limit,
        remaining: Math.max(0, check.limit - Number(reply[2 * i])),
        resetAt: now + (pttl < 0 ? check.ttlMs : pttl),
      };
    });
  }

  /** Redis failed: logged as an outage, then 503 with `failClosed`, else the local answer. */
  private unavailable<T>(error: unknown, local: () => T): T {
    this.outage.failed(error);
    if (this.failClosed) throw this.outage.unavailable();
    return local();
  }
}
