import type { PipeTransform, Provider } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { createRequire } from 'node:module';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { ApiValidationPipe } from './api-validation.pipe.js';

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

/** The global pipe: `ApiValidationPipe`, unless `validation: false` or its packages are absent. */
export const validationPipeProvider: Provider = {
  provide: APP_PIPE,
  useFactory: (options: ResolvedApiErrorsOptions): PipeTransform =>
    options.validation.enabled && validationPackagesInstalled()
      ? new ApiValidationPipe(options)
      : passThrough,
  inject: [API_ERRORS_OPTIONS],
};
