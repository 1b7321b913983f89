import { Logger, type PipeTransform, type Provider } from '@nestjs/common';
import { APP_PIPE, ModuleRef } from '@nestjs/core';
import { createRequire } from 'node:module';
import { ApiValidationPipe } from './api-validation.pipe.js';
import { VALIDATION_OPTIONS, type ResolvedValidationOptions } from './validation.options.js';

/** class-validator and class-transformer are optional peers: validate only when both resolve. */
function validationPackagesInstalled(): boolean {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('class-validator');
    require.resolve('class-transformer');
    return true;
  } catch {
    return false;
  }
}

/** Leaves values as they are, where no validation pipe is wanted. */
const passThrough: PipeTransform = { transform: (value: unknown) => value };

/**
 * Injection token of the validation pipe instance, which is also the global pipe: precognitive
 * requests are validated by the very pipe their real submission goes through.
 */
export const VALIDATION_PIPE = Symbol('nest-api-errors:validation-pipe');

/**
 * The validation pipe: `ApiValidationPipe` (or the app's subclass of it), unless
 * `validation: false` or its packages are absent.
 */
export const validationPipeProvider: Provider = {
  provide: VALIDATION_PIPE,
  useFactory: async (
    options: ResolvedValidationOptions,
    ref: ModuleRef,
  ): Promise<PipeTransform> => {
    if (!options.enabled) return passThrough;
    if (!validationPackagesInstalled()) {
      new Logger('ApiErrors').warn(
        'class-validator and class-transformer are not installed: no validation pipe is ' +
          'registered (npm install class-validator class-transformer, or set validation: false)',
      );
      return passThrough;
    }
    return options.pipe ? ref.create(options.pipe) : new ApiValidationPipe(options);
  },
  inject: [VALIDATION_OPTIONS, ModuleRef],
};

/** Installs {@link VALIDATION_PIPE} as the global pipe: one instance for both uses. */
export const globalValidationPipeProvider: Provider = {
  provide: APP_PIPE,
  useExisting: VALIDATION_PIPE,
};
