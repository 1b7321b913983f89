import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  ApiErrorsConfigError,
  ApiErrorsModule,
  RequireFeature,
  type ErrorFormatName,
} from 'nest-api-errors';
import {
  MATRIX,
  PLATFORMS,
  contentTypeOf,
  request,
  startSampleApp,
  type RunningApp,
} from './support/harness.js';
import { DEMO_KEYS } from './support/keys.js';

interface Denial {
  feature: string;
  isTrial: boolean;
  upgradeRequired: boolean;
  requiredTier: string | null;
}

/** The exact feature_not_entitled body in `format`. */
function denialBody(format: ErrorFormatName, denial: Denial, requestId: string) {
  const message = `Your plan does not include the ${denial.feature} feature`;
  switch (format) {
    case 'flat':
      return { error: 'feature_not_entitled', status: 403, ...denial };
    case 'problem':
      return {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: message,
        instance: requestId,
        code: 'feature_not_entitled',
        ...denial,
      };
    case 'nested':
      return {
        error: { code: 'FEATURE_NOT_ENTITLED', message, details: denial },
        request_id: requestId,
      };
    case 'laravel':
      return { error: message, ...denial };
  }
}

describe.each(MATRIX)('entitlements on %s, %s format', (platform, format) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
  });
  afterAll(() => running.close());

  const get = (path: string, key: string) =>
    request(`${running.url}${path}`, { headers: { 'x-api-key': key } });

  async function expectDenied(path: string, key: string, denial: Denial) {
    const reply = await get(path, key);
    expect(reply.status).toBe(403);
    expect(reply.headers.get('content-type')).toBe(contentTypeOf(format));
    expect(reply.json).toEqual(denialBody(format, denial, reply.headers.get('x-request-id') ?? ''));
  }

  it('denies a local-tier key /v1/reports: requiredTier authority, upgrade required, no trial', async () => {
    await expectDenied('/v1/reports', DEMO_KEYS.local, {
      feature: 'api_access',
      isTrial: false,
      upgradeRequired: true,
      requiredTier: 'authority',
    });
  });

  it('flags an expired trial with isTrial', async () => {
    await expectDenied('/v1/reports', DEMO_KEYS.trialExpired, {
      feature: 'api_access',
      isTrial: true,
      upgradeRequired: true,
      requiredTier: 'authority',
    });
  });

  it('lets an active trial through', async () => {
    const reply = await get('/v1/reports', DEMO_KEYS.trial);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ feature: 'api_access', ok: true });
  });

  it('denies an add-on-only feature without the add-on, and allows it with', async () => {
    await expectDenied('/v1/webhooks', DEMO_KEYS.network, {
      feature: 'webhooks',
      isTrial: false,
      upgradeRequired: false,
      requiredTier: null,
    });
    await expectDenied('/v1/webhooks', DEMO_KEYS.authority, {
      feature: 'webhooks',
      isTrial: false,
      upgradeRequired: false,
      requiredTier: null,
    });
    const reply = await get('/v1/webhooks', DEMO_KEYS.addon);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ feature: 'webhooks', ok: true });
  });

  it('gives an authority key every tiered feature', async () => {
    for (const [path, feature] of [
      ['/v1/reports', 'api_access'],
      ['/v1/exports', 'bulk_export'],
      ['/v1/analytics', 'analytics'],
    ]) {
      const reply = await get(path, DEMO_KEYS.authority);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ feature, ok: true });
    }
  });

  it('ranks tiers: a network key gets exports and analytics, not reports', async () => {
    expect((await get('/v1/exports', DEMO_KEYS.network)).status).toBe(200);
    expect((await get('/v1/analytics', DEMO_KEYS.network)).status).toBe(200);
    await expectDenied('/v1/exports', DEMO_KEYS.local, {
      feature: 'bulk_export',
      isTrial: false,
      upgradeRequired: true,
      requiredTier: 'network',
    });
  });

  it('authenticates before checking features', async () => {
    const reply = await get('/v1/reports', 'nope');
    expect(reply.status).toBe(401);
  });
});

@Controller('x')
@RequireFeature('analytics')
class TypoController {
  @Get()
  @RequireFeature('anlytics')
  get() {
    return {};
  }
}

@Module({
  imports: [ApiErrorsModule.forRoot({ entitlements: { features: { analytics: 'local' } } })],
  controllers: [TypoController],
})
class TypoModule {}

describe.each(PLATFORMS)('entitlements bootstrap on %s', (platform) => {
  it('stops the start when @RequireFeature names an unknown feature', async () => {
    const app = await NestFactory.create(
      TypoModule,
      platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
      {
        logger: false,
        abortOnError: false,
      },
    );
    const failure = await app.init().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiErrorsConfigError);
    expect((failure as Error).message).toBe(
      'nest-api-errors: option "entitlements.features" has no "anlytics", which @RequireFeature names on TypoController.get. Add it with the lowest tier that includes it, or null for an add-on-only feature.',
    );
    await app.close();
  });
});
