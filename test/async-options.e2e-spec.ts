import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, type DynamicModule } from '@nestjs/common';
import {
  ApiErrorsModule,
  ApiException,
  ApiKeyGuard,
  InMemoryApiKeyStore,
  type ApiErrorsModuleOptions,
  type ApiErrorsOptionsFactory,
  type ErrorFormatName,
} from 'nest-api-errors';
import { UNAUTHORIZED } from './support/expected.js';
import { MATRIX, expectedBody, request, type RunningApp } from './support/harness.js';
import { keyRecord, startTestApp } from './support/test-app.js';

const KEY = 'async_options_key_01';

/** Stands for an app's configuration service, in a module of its own. */
class AppSettings {
  constructor(readonly format: ErrorFormatName) {}
}

/** A 401 that says where the options came from, so that the test sees which guard ran. */
@Injectable()
class LabelledKeyGuard extends ApiKeyGuard {
  protected override unauthorized(): ApiException {
    const base = super.unauthorized();
    return new ApiException('unauthorized', undefined, {
      headers: { ...base.extras.headers, 'X-Options': 'async' },
    });
  }
}

/** `forRootAsync({ useClass })` and `({ useExisting })` both build the options with this. */
@Injectable()
class OptionsFactory implements ApiErrorsOptionsFactory {
  constructor(private readonly settings: AppSettings) {}

  createApiErrorsOptions(): ApiErrorsModuleOptions {
    return {
      format: this.settings.format,
      apiKeys: { store: new InMemoryApiKeyStore([keyRecord('k_async', KEY)]) },
      guards: { apiKey: LabelledKeyGuard },
    };
  }
}

@Module({})
class SettingsModule {
  static register(format: ErrorFormatName): DynamicModule {
    return {
      module: SettingsModule,
      providers: [{ provide: AppSettings, useValue: new AppSettings(format) }, OptionsFactory],
      exports: [AppSettings, OptionsFactory],
    };
  }
}

@Controller('a')
class AsyncController {
  @Get('me')
  me(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class AsyncOptionsModule {
  static register(how: 'useClass' | 'useExisting', format: ErrorFormatName): DynamicModule {
    const settings = SettingsModule.register(format);
    return {
      module: AsyncOptionsModule,
      imports: [
        how === 'useClass'
          ? ApiErrorsModule.forRootAsync({ imports: [settings], useClass: OptionsFactory })
          : ApiErrorsModule.forRootAsync({ imports: [settings], useExisting: OptionsFactory }),
      ],
      controllers: [AsyncController],
    };
  }
}

describe.each(['useClass', 'useExisting'] as const)('forRootAsync with %s', (how) => {
  describe.each(MATRIX)('on %s, %s format', (platform, format) => {
    let running: RunningApp;

    beforeAll(async () => {
      running = await startTestApp(platform, AsyncOptionsModule.register(how, format));
    });
    afterAll(() => running.close());

    it('authenticates with the options the factory built, guard subclass included', async () => {
      const ok = await request(`${running.url}/a/me`, { headers: { 'X-API-Key': KEY } });
      expect(ok.status).toBe(200);
      const denied = await request(`${running.url}/a/me`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('x-options')).toBe('async');
      expect(denied.headers.get('www-authenticate')).toBe('ApiKey header="X-API-Key"');
    });

    it('answers in the format the factory chose', async () => {
      const denied = await request(`${running.url}/a/me`);
      expect(denied.json).toEqual(
        expectedBody(format, UNAUTHORIZED, denied.headers.get('x-request-id') as string),
      );
    });
  });
});
