import { Logger, type PipeTransform, type Provider } from '@nestjs/common';
import { APP_PIPE, ModuleRef } from '@nestjs/core';
import { createRequire } from 'node:module';
import { ApiValidationPipe } from './api-validation.pipe.js';
import { ApiSchemaValidationPipe } from './schema-validation.js';
import { VALIDATION_OPTIONS, type ResolvedValidationOptions } from './validation.options.js';

let installed: boolean | undefined;

/**
 * class-validator and class-transformer are optional peers: validate class DTOs only when both
 * resolve. Resolved once: the pipe's provider and the start-up check both ask.
 */
export function validationPackagesInstalled(): boolean {
  if (installed !== undefined) return installed;
  const require = createRequire(import.meta.url);
  try {
    require.resolve('class-validator');
    require.resolve('class-transformer');
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}

/** Leaves values as they are, where no validation is wanted. */
const passThrough: PipeTransform = { transform: (value: unknown) => value };

/**
 * Injection token of the validation pipe instance, which is also the global pipe: precognitive
 * requests are validated by the very pipe their real submission goes through.
 */
export const VALIDATION_PIPE = Symbol('nest-api-errors:validation-pipe');

/**
 * The validation pipe: `ApiValidationPipe` (or the app's subclass of it); without
 * class-validator and class-transformer, `ApiSchemaValidationPipe` (Standard Schema parameters
 * only); nothing with `validation: false`.
 */
export const validationPipeProvider: Provider = {
  provide: VALIDATION_PIPE,
  useFactory: async (
    options: ResolvedValidationOptions,
    ref: ModuleRef,
  ): Promise<PipeTransform> => {
    if (!options.enabled) return passThrough;
    // Without them, parameters with a Standard Schema still get the whole contract; the
    // start-up check names the class-typed ones that go unchecked.
    if (!validationPackagesInstalled()) {
      if (options.pipe) {
        new Logger('ApiErrors').warn(
          `validation.pipe ${options.pipe.name} needs class-validator and class-transformer, ` +
            'which are not installed: only Standard Schema parameters are validated',
        );
      }
      return new ApiSchemaValidationPipe(options);
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
