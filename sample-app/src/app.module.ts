import { Module, type DynamicModule } from '@nestjs/common';
import { ApiErrorsModule, loadApiKeysFile } from 'nest-api-errors';
import { AccountController } from './account/account.controller.js';
import { BookingsController } from './bookings/bookings.controller.js';
import { BookingsService } from './bookings/bookings.service.js';
import { TIERS, type SampleAppConfig } from './config.js';
import { FEATURES, FeaturesController } from './features/features.controller.js';
import { LocationsController } from './locations/locations.controller.js';
import { StoresController } from './stores/stores.controller.js';
import { SystemController } from './system/system.controller.js';

@Module({})
export class AppModule {
  static register(config: SampleAppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ApiErrorsModule.forRoot({
          format: config.format,
          typeBaseUri: config.typeBaseUri,
          // Nothing in this app calls getRequestId(), and before Node 24 the AsyncLocalStorage it
          // needs costs throughput on every request; @RequestId() works without it.
          asyncContext: config.asyncContext,
          apiKeys: {
            // Read once at start; a malformed file stops the start naming the file and entry.
            store: loadApiKeysFile(config.apiKeysFile, TIERS),
            failuresPerMinute: config.authFailuresPerMinute,
          },
          // Behind a reverse proxy every client would otherwise share the proxy's address: key
          // allowlists, the brute-force limiter and per-IP limits all read the client's.
          trustedProxies: config.trustedProxies,
          entitlements: { tiers: TIERS, features: FEATURES },
          idempotency: {
            required: config.idempotencyRequired,
            redis: config.rateLimit.redisUrl
              ? {
                  url: config.rateLimit.redisUrl,
                  prefix: `${config.rateLimit.redisPrefix}idem:`,
                  commandTimeoutMs: config.rateLimit.redisCommandTimeoutMs,
                }
              : undefined,
          },
          rateLimit: {
            key: [
              { name: 'minute', limit: config.rateLimit.perMinute, ttl: 60_000 },
              { name: 'hour', limit: config.rateLimit.perHour, ttl: 3_600_000 },
            ],
            organization: [
              { name: 'day', limit: config.rateLimit.organizationPerDay, ttl: 86_400_000 },
            ],
            tiers: { authority: 10 },
            redis: config.rateLimit.redisUrl
              ? {
                  url: config.rateLimit.redisUrl,
                  prefix: config.rateLimit.redisPrefix,
                  commandTimeoutMs: config.rateLimit.redisCommandTimeoutMs,
                  failClosed: config.rateLimit.failClosed,
                }
              : undefined,
            ietfHeaders: config.rateLimit.ietfHeaders,
          },
          validation: {
            status: config.validationStatus,
            compile: config.validationCompile,
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          },
        }),
      ],
      controllers: [
        SystemController,
        LocationsController,
        AccountController,
        StoresController,
        BookingsController,
        FeaturesController,
      ],
      providers: [BookingsService],
    };
  }
}
