import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  type DynamicModule,
} from '@nestjs/common';
import { IsString } from 'class-validator';
import type { IncomingMessage } from 'node:http';
import {
  ApiErrorsModule,
  ApiException,
  ApiKeyGuard,
  ApiValidationPipe,
  FeatureGuard,
  InMemoryApiKeyStore,
  Principal,
  Public,
  RateLimitGuard,
  RequireFeature,
  SkipRateLimit,
  type ApiPrincipal,
  type ErrorFormatName,
  type FeatureDenial,
  type RouteWindow,
} from 'nest-api-errors';
import { TOO_MANY, UNAUTHORIZED, validationBody } from './support/expected.js';
import { MATRIX, expectedBody, request, type RunningApp } from './support/harness.js';
import { keyRecord, startTestApp } from './support/test-app.js';

// Each guard and the pipe, replaced through the options by a subclass that overrides one hook;
// every test fails if the override is not the one that ran.

const PLAIN = 'ext_plain_key_0001';
const PARTNER = 'ext_partner_key_0002';
const BETA = 'ext_beta_key_0003';
const SHARED_A = 'ext_shared_key_000a';
const SHARED_B = 'ext_shared_key_000b';

/** Also reads the key from `?api_key=`, and says so in its 401. */
@Injectable()
class QueryKeyGuard extends ApiKeyGuard {
  protected override presentedKey(request: IncomingMessage): string | undefined {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('api_key');
    return query ?? super.presentedKey(request);
  }

  protected override unauthorized(): ApiException {
    return new ApiException('unauthorized', undefined, {
      headers: { 'WWW-Authenticate': 'ApiKey header="X-API-Key", query="api_key"' },
    });
  }
}

/** Answers a denial with where to upgrade; keys with the beta scope get every feature. */
@Injectable()
class UpgradeLinkFeatureGuard extends FeatureGuard {
  protected override entitlementsOf(principal: ApiPrincipal) {
    if (!principal.scopes.includes('beta')) return super.entitlementsOf(principal);
    return { tier: principal.tier, trials: {}, addons: Object.keys(this.config.features) };
  }

  protected override notEntitled(denial: FeatureDenial): ApiException {
    return new ApiException(
      'forbidden',
      `Upgrade to ${denial.requiredTier} to use ${denial.feature}`,
    );
  }
}

/**
 * Counts public callers by X-Client, the keys of org_shared as one, gives partner keys 3× the
 * limit, and words its 429.
 */
@Injectable()
class PartnerRateLimitGuard extends RateLimitGuard {
  protected override counterKey(
    window: RouteWindow,
    principal: ApiPrincipal | undefined,
    tracker: string | undefined,
  ): string {
    return principal?.organizationId === 'org_shared'
      ? `{org_shared}:all:${window.name}`
      : super.counterKey(window, principal, tracker);
  }

  protected override getTracker(request: unknown): string {
    const header = (request as { headers: Record<string, string | undefined> }).headers['x-client'];
    return header ?? super.getTracker(request);
  }

  protected override limitFor(principal: ApiPrincipal, window: RouteWindow): number {
    return principal.scopes.includes('partner')
      ? window.limit * 3
      : super.limitFor(principal, window);
  }

  protected override tooManyRequests(
    seconds: number,
    headers: Readonly<Record<string, string>>,
  ): ApiException {
    return new ApiException('rate_limit_exceeded', `Slow down for ${seconds} s`, { headers });
  }
}

/** Reports only the first failing field. */
@Injectable()
class FirstErrorOnlyPipe extends ApiValidationPipe {
  override createExceptionFactory() {
    const report = super.createExceptionFactory();
    return (errors: Parameters<typeof report>[0] = []) => report(errors.slice(0, 1));
  }
}

class ItemDto {
  @IsString()
  name!: string;

  @IsString()
  sku!: string;
}

@Controller('x')
class ExtensionController {
  @Get('me')
  @SkipRateLimit()
  me(@Principal() principal: ApiPrincipal): { keyId: string } {
    return { keyId: principal.keyId };
  }

  @Get('exports')
  @SkipRateLimit()
  @RequireFeature('exports')
  exports(): { ok: true } {
    return { ok: true };
  }

  @Get('public')
  @Public()
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('limited')
  limited(): { ok: true } {
    return { ok: true };
  }

  @Post('items')
  @SkipRateLimit()
  create(@Body() item: ItemDto): ItemDto {
    return item;
  }
}

@Module({})
class ExtensionModule {
  static register(format: ErrorFormatName): DynamicModule {
    return {
      module: ExtensionModule,
      imports: [
        ApiErrorsModule.forRoot({
          format,
          apiKeys: {
            store: new InMemoryApiKeyStore([
              keyRecord('k_plain', PLAIN),
              keyRecord('k_partner', PARTNER, { scopes: ['partner'], organizationId: 'org_p' }),
              keyRecord('k_beta', BETA, { scopes: ['beta'], organizationId: 'org_b' }),
              keyRecord('k_shared_a', SHARED_A, { organizationId: 'org_shared' }),
              keyRecord('k_shared_b', SHARED_B, { organizationId: 'org_shared' }),
            ]),
            failuresPerMinute: 0,
          },
          entitlements: { features: { exports: 'authority' } },
          rateLimit: {
            key: [{ name: 'minute', limit: 1, ttl: 60_000 }],
            organization: [],
            ip: [{ name: 'minute', limit: 1, ttl: 60_000 }],
          },
          validation: { pipe: FirstErrorOnlyPipe, whitelist: true },
          guards: {
            apiKey: QueryKeyGuard,
            feature: UpgradeLinkFeatureGuard,
            rateLimit: PartnerRateLimitGuard,
          },
        }),
      ],
      controllers: [ExtensionController],
    };
  }
}

describe.each(MATRIX)(
  'subclasses installed through the options on %s, %s format',
  (platform, format) => {
    let running: RunningApp;
    const id = (reply: { headers: Headers }) => reply.headers.get('x-request-id') as string;

    beforeAll(async () => {
      running = await startTestApp(platform, ExtensionModule.register(format));
    });
    afterAll(() => running.close());

    it('ApiKeyGuard.presentedKey: the key is read from the query as well', async () => {
      const reply = await request(`${running.url}/x/me?api_key=${PLAIN}`);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ keyId: 'k_plain' });
    });

    it('ApiKeyGuard.unauthorized: the 401 carries its own header, in the configured format', async () => {
      const reply = await request(`${running.url}/x/me?api_key=nope_not_a_key`);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe(
        'ApiKey header="X-API-Key", query="api_key"',
      );
      expect(reply.json).toEqual(expectedBody(format, UNAUTHORIZED, id(reply)));
    });

    it('FeatureGuard.notEntitled: a denial is the subclass answer', async () => {
      const reply = await request(`${running.url}/x/exports`, { headers: { 'X-API-Key': PLAIN } });
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual(
        expectedBody(
          format,
          {
            code: 'forbidden',
            status: 403,
            title: 'Forbidden',
            nestedCode: 'INSUFFICIENT_PERMISSIONS',
            problemType: 'permission_error',
            message: 'Upgrade to authority to use exports',
          },
          id(reply),
        ),
      );
    });

    it('FeatureGuard.entitlementsOf: entitlements come from the subclass', async () => {
      const reply = await request(`${running.url}/x/exports`, { headers: { 'X-API-Key': BETA } });
      expect(reply.status).toBe(200);
    });

    it('RateLimitGuard.counterKey: the keys of one organization share a counter', async () => {
      const a = await request(`${running.url}/x/limited`, { headers: { 'X-API-Key': SHARED_A } });
      const b = await request(`${running.url}/x/limited`, { headers: { 'X-API-Key': SHARED_B } });
      expect([a.status, b.status]).toEqual([200, 429]);
    });

    it('RateLimitGuard.getTracker: public callers are counted by X-Client', async () => {
      const a1 = await request(`${running.url}/x/public`, { headers: { 'X-Client': 'a' } });
      const b1 = await request(`${running.url}/x/public`, { headers: { 'X-Client': 'b' } });
      const a2 = await request(`${running.url}/x/public`, { headers: { 'X-Client': 'a' } });
      expect([a1.status, b1.status, a2.status]).toEqual([200, 200, 429]);
    });

    it('RateLimitGuard.limitFor and tooManyRequests: partner keys get 3× the limit, then its 429', async () => {
      const partner = [];
      for (let i = 0; i < 4; i++) {
        partner.push(
          await request(`${running.url}/x/limited`, { headers: { 'X-API-Key': PARTNER } }),
        );
      }
      expect(partner.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(partner[0].headers.get('x-ratelimit-limit')).toBe('3');
      const plain = [];
      for (let i = 0; i < 2; i++) {
        plain.push(await request(`${running.url}/x/limited`, { headers: { 'X-API-Key': PLAIN } }));
      }
      expect(plain.map((r) => r.status)).toEqual([200, 429]);
      const rejected = plain[1];
      const seconds = rejected.headers.get('retry-after');
      expect(Number(seconds)).toBeGreaterThan(0);
      expect(rejected.json).toEqual(
        expectedBody(format, { ...TOO_MANY, message: `Slow down for ${seconds} s` }, id(rejected)),
      );
    });

    it('ApiValidationPipe.createExceptionFactory: only the first field is reported', async () => {
      const reply = await request(`${running.url}/x/items`, {
        method: 'POST',
        headers: { 'X-API-Key': PLAIN },
        json: {},
      });
      expect(reply.status).toBe(422);
      expect(reply.json).toEqual(
        validationBody(format, [['name', 'The name field is required.', '#/name']], id(reply)),
      );
    });
  },
);
