// @nestjs/throttler 6 is CommonJS and requires the ESM-only @nestjs/common, which Node 22.17+
// allows (22.13 to 22.16 fail with ERR_REQUIRE_CYCLE_MODULE) and Jest's module runtime does not. This check runs on plain Node (node --test) against
// the built package: @Throttle and @SkipThrottle from the real @nestjs/throttler write exactly the
// metadata that @RateLimit and @SkipRateLimit write and that RateLimitGuard reads.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { RateLimit, SkipRateLimit } from '../../dist/lib/index.js';

const KEYS = ['THROTTLER:LIMIT', 'THROTTLER:TTL', 'THROTTLER:SKIP'];

function metadataOf(decorators) {
  class Target {
    handler() {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(Target.prototype, 'handler');
  for (const decorator of decorators) decorator(Target.prototype, 'handler', descriptor);
  const found = {};
  for (const key of Reflect.getMetadataKeys(descriptor.value)) {
    if (KEYS.some((prefix) => key.startsWith(prefix)))
      found[key] = Reflect.getMetadata(key, descriptor.value);
  }
  return found;
}

test('@Throttle writes what @RateLimit writes', () => {
  const theirs = metadataOf([
    Throttle({ minute: { limit: 5, ttl: 60_000 }, hour: { limit: 50, ttl: 3_600_000 } }),
  ]);
  const ours = metadataOf([
    RateLimit({ minute: { limit: 5, ttl: 60_000 }, hour: { limit: 50, ttl: 3_600_000 } }),
  ]);
  assert.deepEqual(ours, theirs);
  assert.equal(theirs['THROTTLER:LIMITminute'], 5);
});

test('@SkipThrottle writes what @SkipRateLimit writes', () => {
  assert.deepEqual(metadataOf([SkipRateLimit()]), metadataOf([SkipThrottle()]));
  assert.deepEqual(
    metadataOf([SkipRateLimit({ hour: true })]),
    metadataOf([SkipThrottle({ hour: true })]),
  );
  assert.equal(metadataOf([SkipThrottle()])['THROTTLER:SKIPdefault'], true);
});
