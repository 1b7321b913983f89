import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ApiErrorsModule } from '../api-errors.module.js';
import type { ApiErrorsForRootOptions } from '../api-errors.module-definition.js';
import { InMemoryApiKeyStore } from '../auth/api-key.store.js';
import { RequireScopes } from '../auth/auth.decorators.js';
import { RequireFeature } from '../entitlements/require-feature.decorator.js';
import type { ErrorFormatName } from '../formats/index.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { renderErrorsPage } from './errors-page.js';

@Controller('v1')
class ReportsController {
  @Get('reports')
  @RequireFeature('reports')
  reports(): void {}

  @Post('exports')
  @RequireScopes('exports:write')
  @Idempotent()
  exports(): void {}
}

let app: INestApplication | undefined;
afterEach(() => app?.close());

async function page(options: ApiErrorsForRootOptions): Promise<string> {
  @Module({ imports: [ApiErrorsModule.forRoot(options)], controllers: [ReportsController] })
  class AppModule {}
  app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  return renderErrorsPage(app, { title: 'Reports API errors' });
}

const FULL: ApiErrorsForRootOptions = {
  apiKeys: { store: new InMemoryApiKeyStore([]) },
  rateLimit: { tiers: { authority: 10 } },
  entitlements: { features: { reports: 'authority', webhooks: null } },
};

/** The headings of a Markdown page, in order. */
const headings = (markdown: string) => markdown.split('\n').filter((line) => line.startsWith('#'));

describe('renderErrorsPage', () => {
  it('writes every section an app with keys, features, limits and idempotency needs', async () => {
    const markdown = await page(FULL);
    expect(headings(markdown)).toEqual([
      '# Reports API errors',
      '## The error envelope',
      '## Status codes',
      '## Authentication errors (401)',
      '## Permission errors (403)',
      '## Plan features (403 `feature_not_entitled`)',
      '## Rate limits (429)',
      '## Idempotency',
      '## Request ids',
      '## Handling errors',
    ]);
    expect(markdown).toContain('| `webhooks` | none: sold as an add-on only |');
    expect(markdown).toContain('| `authority` | 10× every key window |');
    expect(markdown).toContain('| `key-minute` | 100 a minute per key |');
  });

  it('leaves out what the app does not do', async () => {
    // No keys, no limits: only the feature guard and Idempotency-Key answer for themselves.
    expect(headings(await page({ entitlements: { features: { reports: 'authority' } } }))).toEqual([
      '# Reports API errors',
      '## The error envelope',
      '## Status codes',
      '## Plan features (403 `feature_not_entitled`)',
      '## Idempotency',
      '## Request ids',
      '## Handling errors',
    ]);
  });

  it.each([
    ['flat', '"error": "not_found"', "err.error === 'feature_not_entitled'"],
    ['problem', '"type": "about:blank"', 'const type = err.code;'],
    ['nested', '"code": "RESOURCE_NOT_FOUND"', "err.error.code === 'FEATURE_NOT_ENTITLED'"],
    ['laravel', '"error": "Resource not found"', "'feature' in err"],
  ] as [ErrorFormatName, string, string][])(
    'speaks the %s format',
    async (format, envelope, handler) => {
      const markdown = await page({ ...FULL, format });
      expect(markdown).toContain(envelope);
      expect(markdown).toContain(handler);
    },
  );

  it('is the same page on every run', async () => {
    const first = await page(FULL);
    await app?.close();
    expect(await page(FULL)).toBe(first);
  });

  it("shows a custom format's bodies without tables of members it cannot know", async () => {
    const markdown = await page({
      ...FULL,
      format: (error) => ({ body: { ok: false, code: error.code } }),
    });
    expect(markdown).toContain('"ok": false');
    expect(markdown).not.toContain('| Member |');
    expect(markdown).not.toContain('## Handling errors');
  });
});
