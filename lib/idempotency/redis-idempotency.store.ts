import type { Redis } from 'ioredis';
import type { ClaimResult, IdempotencyStore, StoredResponse } from './idempotency.types.js';

// Claim: the record if there is one, else take the lock (NX) and return nothing.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
`;
// Complete or release only a lock that is still ours (its token), never a newer claim.
const COMPLETE = `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).token ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;
const RELEASE = `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).token ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

type Script = (key: string, ...args: (string | number)[]) => Promise<unknown>;

interface IdempotencyCommands {
  nestApiErrorsIdemClaim: Script;
  nestApiErrorsIdemComplete: Script;
  nestApiErrorsIdemRelease: Script;
}

/**
 * Records in Redis, shared by every instance: an atomic claim, then the stored response, each in
 * a Lua script. Redis errors propagate: an idempotent request is never run unprotected.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly commands: IdempotencyCommands;

  constructor(
    client: Redis,
    private readonly prefix = 'idem:',
  ) {
    const scripts: [keyof IdempotencyCommands, string][] = [
      ['nestApiErrorsIdemClaim', CLAIM],
      ['nestApiErrorsIdemComplete', COMPLETE],
      ['nestApiErrorsIdemRelease', RELEASE],
    ];
    for (const [name, lua] of scripts) {
      if (typeof (client as unknown as Record<string, unknown>)[name] !== 'function') {
        client.defineCommand(name, { numberOfKeys: 1, lua });
      }
    }
    this.commands = client as unknown as IdempotencyCommands;
  }

  async claim(
    key: string,
    fingerprint: string,
    token: string,
    lockTtlMs: number,
  ): Promise<ClaimResult> {
    const lock = JSON.stringify({ state: 'in_flight', token, fingerprint });
    const current = (await this.commands.nestApiErrorsIdemClaim(
      this.prefix + key,
      lock,
      lockTtlMs,
    )) as string | null;
    if (!current) return { outcome: 'claimed' };
    const record = JSON.parse(current) as {
      state: string;
      fingerprint: string;
      response?: StoredResponse;
    };
    return record.state === 'completed' && record.response
      ? { outcome: 'completed', fingerprint: record.fingerprint, response: record.response }
      : { outcome: 'in_flight' };
  }

  async complete(
    key: string,
    token: string,
    fingerprint: string,
    response: StoredResponse,
    ttlMs: number,
  ): Promise<void> {
    const record = JSON.stringify({ state: 'completed', token, fingerprint, response });
    await this.commands.nestApiErrorsIdemComplete(this.prefix + key, token, record, ttlMs);
  }

  async release(key: string, token: string): Promise<void> {
    await this.commands.nestApiErrorsIdemRelease(this.prefix + key, token);
  }
}
