import { describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IsInt, IsString } from 'class-validator';
import { z } from 'zod';
import { resolveApiErrorsOptions, type ApiErrorsModuleOptions } from '../api-errors.options.js';
import { InMemoryApiKeyStore } from '../auth/api-key.store.js';
import { Public, RequireScopes, Tenant } from '../auth/auth.decorators.js';
import { RequireFeature } from '../entitlements/require-feature.decorator.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { SkipRateLimit } from '../rate-limit/rate-limit.decorators.js';
import type { RateLimitStore, RouteWindow } from '../rate-limit/rate-limit.types.js';
import { ApiValidationPipe } from '../validation/api-validation.pipe.js';
import { StandardSchemaPipe } from '../validation/schema-validation.js';
import { ApiErrorResponse } from './api-error-response.decorator.js';
import type { AppRoute } from './app-routes.js';
import type { ErrorContract } from './error-contract.js';
import { describeWindow, listOf, routeErrors, routeFactsOf } from './route-errors.js';

const store = new InMemoryApiKeyStore([]);

/** An app's contract as errorContractOf reads it, from options. */
function contract(
  options: ApiErrorsModuleOptions,
  more: Partial<ErrorContract> = {},
): ErrorContract {
  const resolved = resolveApiErrorsOptions(options);
  return {
    errorResponse: resolved.errorResponse,
    requestContext: resolved.requestContext,
    validation: resolved.validation,
    apiKeys: resolved.apiKeys,
    entitlements: resolved.entitlements,
    rateLimit: resolved.rateLimit,
    idempotency: resolved.idempotency,
    pipe: new ApiValidationPipe(resolved.validation),
    limitsOnRefusals: resolved.rateLimit !== undefined,
    platform: 'express',
    reflector: new Reflector(),
    ...more,
  };
}

class BookingDto {
  @IsString()
  serviceId!: string;
}

class PageQuery {
  @IsInt()
  page?: number;
}

const schema = z.strictObject({ name: z.string() });

@Controller('v1')
class Routes {
  @Public()
  @SkipRateLimit()
  @Get('health')
  health(): void {}

  @Get('me')
  me(): void {}

  @Post('bookings')
  @RequireScopes('bookings:write')
  @Idempotent()
  @ApiErrorResponse('conflict', 'Time slot is no longer available')
  @ApiErrorResponse('conflict', 'Booking is locked', { extensions: { bookingId: 'book_1' } })
  create(@Body() _input: BookingDto): void {}

  @Post('echo')
  echo(@Body() _body: unknown): void {}

  @Post('zod')
  zod(@Body({ schema }) _body: unknown): void {}

  @Post('piped')
  piped(@Body(new StandardSchemaPipe(schema)) _body: unknown): void {}

  @Get('pages')
  pages(@Query() _query: PageQuery): void {}

  @Get('stores/:storeId/orders')
  @Tenant({ param: 'storeId' })
  orders(@Param('storeId') _storeId: string): void {}

  @Get('orders')
  @Tenant({ header: 'X-Organization-Id' })
  @RequireFeature('analytics', 'reports')
  byHeader(): void {}

  @Get('unknown-tenant')
  @Tenant({ param: 'storeId' })
  unknownTenant(): void {}

  @Public()
  @Get('public')
  publicLimited(): void {}
}

function route(methodName: keyof Routes, httpMethod: string, path: string): AppRoute {
  return {
    controller: Routes,
    handler: Routes.prototype[methodName] as object,
    methodName,
    httpMethod,
    paths: [path],
  };
}

const FULL: ApiErrorsModuleOptions = {
  apiKeys: { store },
  rateLimit: {},
  entitlements: { features: { analytics: 'local', reports: 'authority' } },
};

async function keys(r: AppRoute, c: ErrorContract) {
  const variants = await routeErrors(routeFactsOf(r, c), c, 'req_1');
  return variants.map((v) => `${v.reply.status} ${v.key}`);
}

describe('routeErrors', () => {
  it('gives a public, unlimited route without a body only the 500', async () => {
    expect(await keys(route('health', 'GET', '/v1/health'), contract(FULL))).toEqual([
      '500 internal_error',
    ]);
  });

  it('gives a guarded route the 401, the brute-force 429 and its rate limit', async () => {
    expect(await keys(route('me', 'GET', '/v1/me'), contract(FULL))).toEqual([
      '401 unauthorized',
      '429 rate_limit_exceeded.failed_authentications',
      '429 rate_limit_exceeded',
      '500 internal_error',
    ]);
    const quiet = contract({ ...FULL, apiKeys: { store, failuresPerMinute: 0 } });
    expect(await keys(route('me', 'GET', '/v1/me'), quiet)).not.toContain(
      '429 rate_limit_exceeded.failed_authentications',
    );
  });

  it('counts a public route per client IP where it is not skipped', async () => {
    expect(await keys(route('publicLimited', 'GET', '/v1/public'), contract(FULL))).toEqual([
      '429 rate_limit_exceeded',
      '500 internal_error',
    ]);
  });

  it('gives a body-taking route the body checks, scopes, idempotency, validation and what it declares', async () => {
    expect(await keys(route('create', 'POST', '/v1/bookings'), contract(FULL))).toEqual([
      '415 unsupported_media_type',
      '415 unsupported_media_type.content_encoding',
      '400 bad_request.invalid_json',
      '413 payload_too_large',
      '401 unauthorized',
      '429 rate_limit_exceeded.failed_authentications',
      '403 forbidden.scopes',
      '429 rate_limit_exceeded',
      '400 bad_request.body_too_deep',
      '400 bad_request.idempotency_key',
      '409 idempotency_key_in_use',
      '422 idempotency_key_reused',
      '422 validation_error',
      '409 conflict',
      '409 conflict.2',
      '500 internal_error',
    ]);
  });

  it('follows the options: required keys, the reused status, stores that may be down, no 415 checks', async () => {
    const c = contract(
      {
        ...FULL,
        bodyContentTypes: false,
        validation: { status: 400 },
        idempotency: {
          required: true,
          reusedStatus: 400,
          store: {
            claim: async () => ({ outcome: 'claimed' }),
            complete: async () => undefined,
            release: async () => undefined,
          } as never,
        },
        rateLimit: { redis: { url: 'redis://127.0.0.1:1', failClosed: true } },
      },
      { limitsOnRefusals: false },
    );
    const found = await keys(route('create', 'POST', '/v1/bookings'), c);
    expect(found).not.toContain('415 unsupported_media_type');
    expect(found).toEqual(
      expect.arrayContaining([
        '503 service_unavailable.rate_limit_store',
        '400 bad_request.idempotency_key_missing',
        '400 idempotency_key_reused',
        '503 service_unavailable.idempotency_store',
        '400 validation_error',
      ]),
    );
    const custom: RateLimitStore = { consume: () => ({ admitted: true, windows: [] }) };
    const ownStore = contract({
      ...FULL,
      rateLimit: { redis: { url: 'redis://x:1', failClosed: true }, store: custom },
    });
    expect(await keys(route('me', 'GET', '/v1/me'), ownStore)).not.toContain(
      '503 service_unavailable.rate_limit_store',
    );
  });

  it('marks the refusals after authentication as carrying the rate-limit headers', async () => {
    const c = contract(FULL);
    const variants = await routeErrors(
      routeFactsOf(route('create', 'POST', '/v1/bookings'), c),
      c,
      'r',
    );
    const withLimits = Object.fromEntries(variants.map((v) => [v.key, v.withLimits]));
    expect(withLimits).toMatchObject({
      unauthorized: false,
      payload_too_large: false,
      'forbidden.scopes': true,
      rate_limit_exceeded: true,
      validation_error: true,
      conflict: true,
      internal_error: false,
    });
    const replayable = variants.filter((v) => v.replayable).map((v) => v.key);
    expect(replayable).toEqual(['conflict', 'conflict.2']);
  });

  it('documents a missing tenant only where it can be missing', async () => {
    const c = contract(FULL);
    expect(await keys(route('orders', 'GET', '/v1/stores/{storeId}/orders'), c)).toEqual(
      expect.arrayContaining(['400 bad_request.url', '403 forbidden.tenant']),
    );
    expect(await keys(route('orders', 'GET', '/v1/stores/{storeId}/orders'), c)).not.toContain(
      '400 bad_request.tenant',
    );
    expect(await keys(route('unknownTenant', 'GET', '/v1/unknown-tenant'), c)).toContain(
      '400 bad_request.tenant',
    );
    expect(await keys(route('byHeader', 'GET', '/v1/orders'), c)).toContain(
      '400 bad_request.tenant',
    );
  });

  it('leaves out a feature every tier includes, for a principal; never without one', async () => {
    const withKeys = await keys(route('byHeader', 'GET', '/v1/orders'), contract(FULL));
    expect(withKeys.filter((k) => k.includes('feature'))).toEqual(['403 feature_not_entitled']);
    const withoutKeys = await keys(
      route('byHeader', 'GET', '/v1/orders'),
      contract({ entitlements: FULL.entitlements }),
    );
    expect(withoutKeys.filter((k) => k.includes('feature'))).toEqual([
      '403 feature_not_entitled.analytics',
      '403 feature_not_entitled.reports',
    ]);
  });

  it("adds Fastify's router answers to a path with parameters there only", async () => {
    const r = route('orders', 'GET', '/v1/stores/{storeId}/orders');
    expect(await keys(r, contract(FULL, { platform: 'fastify' }))).toEqual(
      expect.arrayContaining(['400 bad_request.url', '414 bad_request.uri_too_long']),
    );
    expect(await keys(r, contract(FULL))).not.toContain('414 bad_request.uri_too_long');
  });

  it('finds the validated arguments as the pipe does: DTOs and schemas, not plain types', async () => {
    const c = contract({});
    const validated = (r: AppRoute) => routeFactsOf(r, c).validated.map((v) => v.argument.source);
    expect(validated(route('create', 'POST', '/v1/bookings'))).toEqual(['body']);
    expect(validated(route('echo', 'POST', '/v1/echo'))).toEqual([]);
    expect(validated(route('zod', 'POST', '/v1/zod'))).toEqual(['body']);
    expect(validated(route('piped', 'POST', '/v1/piped'))).toEqual(['body']);
    expect(validated(route('pages', 'GET', '/v1/pages'))).toEqual(['query']);
    expect(validated(route('orders', 'GET', '/v1/stores/{storeId}/orders'))).toEqual([]);
    const off = contract({ validation: false });
    expect(routeFactsOf(route('create', 'POST', '/v1/bookings'), off).validated).toEqual([]);
  });

  it("shows the validation failure of the route's own DTO, or of one field where {} is valid", async () => {
    const c = contract({});
    const body = async (r: AppRoute) => {
      const variants = await routeErrors(routeFactsOf(r, c), c, 'r');
      return JSON.parse(variants.find((v) => v.key === 'validation_error')?.reply.payload ?? '{}');
    };
    expect(await body(route('create', 'POST', '/v1/bookings'))).toEqual({
      error: 'validation_error',
      status: 422,
      errors: { serviceId: ['The serviceId field is required.'] },
    });
    expect((await body(route('zod', 'POST', '/v1/zod'))).errors).toEqual({
      name: ['The name field is required.'],
    });
    expect((await body(route('pages', 'GET', '/v1/pages'))).errors).toEqual({
      page: ['The page field is required.'],
    });
  });

  it('renders every example in the app’s format, a custom one included', async () => {
    const c = contract({
      ...FULL,
      format: (error) => ({ status: 418, body: { ok: false, why: error.code } }),
    });
    const variants = await routeErrors(routeFactsOf(route('me', 'GET', '/v1/me'), c), c, 'r');
    expect(variants.map((v) => [v.reply.status, JSON.parse(v.reply.payload)])).toContainEqual([
      418,
      { ok: false, why: 'unauthorized' },
    ]);
  });

  it('documents a declared code the app never registered as the 500 it becomes', async () => {
    @Controller()
    class Odd {
      @Get()
      @ApiErrorResponse('booking_locked' as never)
      get(): void {}
    }
    const c = contract({});
    const r: AppRoute = {
      controller: Odd,
      handler: Odd.prototype.get,
      methodName: 'get',
      httpMethod: 'GET',
      paths: ['/'],
    };
    expect(await keys(r, c)).toEqual(['500 booking_locked', '500 internal_error']);
  });
});

describe('describeWindow and listOf', () => {
  it.each([
    [{ scope: 'key', limit: 100, ttlMs: 60_000 }, '100 a minute per key'],
    [{ scope: 'key', limit: 1000, ttlMs: 3_600_000 }, '1,000 an hour per key'],
    [{ scope: 'organization', limit: 10_000, ttlMs: 86_400_000 }, '10,000 a day per organization'],
    [{ scope: 'ip', limit: 5, ttlMs: 2_000 }, '5 every 2 seconds per client IP'],
    [{ scope: 'ip', limit: 5, ttlMs: 1_500 }, '5 every 1500 ms per client IP'],
  ] as [Pick<RouteWindow, 'scope' | 'limit' | 'ttlMs'>, string][])(
    '%j reads %s',
    (window, text) => {
      expect(describeWindow({ ...window, name: 'w', label: 'l', routeKey: undefined })).toBe(text);
    },
  );

  it('joins with commas and a final and', () => {
    expect([listOf([]), listOf(['a']), listOf(['a', 'b']), listOf(['a', 'b', 'c'])]).toEqual([
      '',
      'a',
      'a and b',
      'a, b and c',
    ]);
  });
});
