import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { ApiException } from '../errors/api.exception.js';
import { exceedsDepth } from './body-depth.js';

/**
 * Turns away bodies nested deeper than `maxBodyDepth` with 400 bad_request. JSON parsers accept
 * far deeper payloads than the recursive code after them (class-transformer, JSON.stringify)
 * survives; without this, a hostile body would end as a stack overflow and a 500. A guard, run
 * after authentication and limits and before pipes and handlers: no interceptor pipeline needed.
 */
@Injectable()
export class BodyDepthGuard implements CanActivate {
  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const { body } = context.switchToHttp().getRequest<{ body?: unknown }>();
    if (exceedsDepth(body, this.options.maxBodyDepth)) {
      throw new ApiException('bad_request', 'The request body is nested too deeply');
    }
    return true;
  }
}
