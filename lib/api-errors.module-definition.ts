import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ApiErrorsModuleOptions } from './api-errors.options.js';

/**
 * `forRoot` / `forRootAsync`, built the way `@nestjs/cache-manager` builds its own. The module
 * is global unless `isGlobal: false` is passed.
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<ApiErrorsModuleOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createApiErrorsOptions')
    .setExtras({ isGlobal: true }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();

/** What `forRoot` takes: the options, plus `isGlobal`. */
export type ApiErrorsForRootOptions = typeof OPTIONS_TYPE;

/** What `forRootAsync` takes: `imports`, `inject` and `useFactory`, `useClass` or `useExisting`. */
export type ApiErrorsAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/** A class that `forRootAsync({ useClass })` instantiates to produce the options. */
export interface ApiErrorsOptionsFactory {
  createApiErrorsOptions(): ApiErrorsModuleOptions | Promise<ApiErrorsModuleOptions>;
}
